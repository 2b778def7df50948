package dev.kubeboot.templates;

import freemarker.core.Environment;
import freemarker.core.TemplateNumberFormat;
import freemarker.core.TemplateNumberFormatFactory;
import freemarker.template.TemplateModelException;
import freemarker.template.TemplateNumberModel;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * Prints numbers as YAML numbers: computer format, never locale grouping, and not passed through
 * the string escaper (which would quote {@code 2381} to keep it a string).
 */
final class YamlNumberFormatFactory extends TemplateNumberFormatFactory {

  static final String NAME = "yamlNumber";

  private static final TemplateNumberFormat FORMAT =
      new TemplateNumberFormat() {
        @Override
        public String formatToPlainText(TemplateNumberModel number) throws TemplateModelException {
          Number n = number.getAsNumber();
          if (n instanceof Integer
              || n instanceof Long
              || n instanceof Short
              || n instanceof Byte) {
            return n.toString();
          }
          return new BigDecimal(n.toString()).toPlainString();
        }

        @Override
        public Object format(TemplateNumberModel number) throws TemplateModelException {
          return YamlOutputFormat.INSTANCE.fromMarkup(formatToPlainText(number));
        }

        @Override
        public boolean isLocaleBound() {
          return false;
        }

        @Override
        public String getDescription() {
          return "YAML number";
        }
      };

  @Override
  public TemplateNumberFormat get(String params, Locale locale, Environment env) {
    return FORMAT;
  }
}
