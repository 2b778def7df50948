// Parses each file given as YAML with the SnakeYAML inside the kubeboot jar (run with -cp JAR):
// a kubeconfig must have clusters and users, a manifest kind Pod with containers. Prints one
// line per bad file and exits 1 when any is bad.
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

public class YamlCheck {
  public static void main(String[] args) throws Exception {
    int bad = 0;
    for (String a : args) {
      Path p = Path.of(a);
      try {
        Object doc = new Yaml(new LoaderOptions()).load(Files.readString(p));
        if (!(doc instanceof Map<?, ?> m)) throw new IllegalStateException("not a mapping");
        if (a.endsWith(".conf")) {
          if (!(m.get("clusters") instanceof List<?> c) || c.isEmpty()) throw new IllegalStateException("no clusters");
          if (!(m.get("users") instanceof List<?> u) || u.isEmpty()) throw new IllegalStateException("no users");
        } else {
          if (!"Pod".equals(m.get("kind"))) throw new IllegalStateException("kind is not Pod");
          if (!(m.get("spec") instanceof Map<?, ?> spec) || !(spec.get("containers") instanceof List<?> cs) || cs.isEmpty()) {
            throw new IllegalStateException("no containers");
          }
        }
      } catch (Exception e) {
        bad++;
        System.out.println("BAD " + a + ": " + e.getMessage());
      }
    }
    System.exit(bad == 0 ? 0 : 1);
  }
}
