package dev.kubeboot.templates;

import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

/**
 * One FreeMarker configuration with YAML auto-escaping; templates are parsed once, when the engine
 * is made, and shared by every render.
 */
final class TemplateEngine {

  private final Map<String, Template> templates;

  TemplateEngine(List<String> templateNames) {
    Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
    cfg.setClassForTemplateLoading(TemplateEngine.class, "/dev/kubeboot/templates");
    cfg.setDefaultEncoding("UTF-8");
    cfg.setOutputEncoding("UTF-8");
    cfg.setLocale(Locale.ROOT);
    cfg.setTimeZone(TimeZone.getTimeZone("UTC"));
    cfg.setRegisteredCustomOutputFormats(List.of(YamlOutputFormat.INSTANCE));
    cfg.setOutputFormat(YamlOutputFormat.INSTANCE);
    cfg.setCustomNumberFormats(Map.of(YamlNumberFormatFactory.NAME, new YamlNumberFormatFactory()));
    cfg.setNumberFormat("@" + YamlNumberFormatFactory.NAME);
    cfg.setBooleanFormat("c");
    cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    cfg.setLogTemplateExceptions(false);
    cfg.setWrapUncheckedExceptions(true);
    cfg.setFallbackOnNullLoopVariable(false);
    cfg.setAPIBuiltinEnabled(false);
    try {
      Map<String, Template> parsed = new HashMap<>();
      for (String name : templateNames) {
        parsed.put(name, cfg.getTemplate(name));
      }
      this.templates = Map.copyOf(parsed);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the kubeboot templates from the classpath", e);
    }
  }

  String render(String templateName, Map<String, Object> data) {
    Template template = templates.get(templateName);
    if (template == null) {
      throw new IllegalArgumentException("no template named " + templateName);
    }
    StringWriter out = new StringWriter(4096);
    try {
      template.process(data, out);
    } catch (TemplateException e) {
      throw new IllegalStateException("template " + templateName + " failed: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
