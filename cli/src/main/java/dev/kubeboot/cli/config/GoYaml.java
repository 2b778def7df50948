package dev.kubeboot.cli.config;

import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Represent;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Writes YAML as Kubernetes' Go serializer (sigs.k8s.io/yaml) does, so that kubeadm's documents
 * come out byte for byte: block style, two-space indent, no line folding, and a string that would
 * read back as something else ({@code "0"}, {@code "true"}, {@code ""}) or that plain style cannot
 * carry in double quotes, where SnakeYAML would pick single quotes. Keys are written in map order:
 * give sorted maps (the Go serializer sorts them).
 */
public final class GoYaml {
  private static final Pattern NEEDS_QUOTES =
      Pattern.compile("^[-?:,\\[\\]{}#&*!|>'\"%@`\\s].*|.*[\\s:]$|.*(: | #).*|.*[\\n\\t].*");

  private GoYaml() {}

  /** One document, ending with a newline. */
  public static String dump(Map<String, ?> document) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setWidth(Integer.MAX_VALUE);
    options.setSplitLines(false);
    return new Yaml(new GoRepresenter(options), options).dump(document);
  }

  private static final class GoRepresenter extends Representer {
    private final Resolver resolver = new Resolver();

    GoRepresenter(DumperOptions options) {
      super(options);
      Represent strings = this.representers.get(String.class);
      this.representers.put(
          String.class,
          data -> {
            String s = (String) data;
            if (s.isEmpty()
                || !Tag.STR.equals(
                    resolver.resolve(org.yaml.snakeyaml.nodes.NodeId.scalar, s, true))
                || NEEDS_QUOTES.matcher(s).matches()) {
              return representScalar(Tag.STR, s, DumperOptions.ScalarStyle.DOUBLE_QUOTED);
            }
            Node node = strings.representData(data);
            return node;
          });
    }
  }
}
