package dev.kubeboot.templates;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

class YamlScalarsTest {

  private final Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));

  @ParameterizedTest(name = "{0} is written as {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "250m | 250m",
        "--controllers=*,bootstrapsigner,tokencleaner |"
            + " --controllers=*,bootstrapsigner,tokencleaner",
        "https://192.168.0.10:2379 | https://192.168.0.10:2379",
        "probe-port | probe-port",
        "::1 | \"::1\"",
        "4 | \"4\"",
        "yes | \"yes\"",
        "a: b | \"a: b\"",
        "`[fd00::10]:6443` | \"[fd00::10]:6443\"",
      })
  void plainWhenKubeadmWouldWriteItPlainQuotedOtherwise(String value, String expected) {
    assertThat(YamlScalars.scalar(value)).isEqualTo(expected);
  }

  @Test
  void randomStringsRoundTripAsMappingValuesKeysAndSequenceItems() {
    Random random = new Random(20260101L);
    String alphabet = "ab01 :#-?,[]{}&*!|>'\"%@`\\\n\t\r.~=+_/xyéü\u0085\u2028\u0000\u007f";
    for (int i = 0; i < 5000; i++) {
      int length = random.nextInt(8);
      StringBuilder sb = new StringBuilder();
      for (int j = 0; j < length; j++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String s = sb.toString();
      String q = YamlScalars.scalar(s);
      Map<String, Object> doc = yaml.load("k: " + q + "\n" + q + ": v\nl:\n- " + q + "\n");
      assertThat(doc.get("k")).as("value %s", q).isEqualTo(s);
      assertThat(doc.get(s)).as("key %s", q).isEqualTo("v");
      assertThat(doc.get("l")).as("item %s", q).isEqualTo(List.of(s));
    }
  }
}
