package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.ExitCodes;
import dev.kubeboot.cli.UsageException;
import dev.kubeboot.cli.config.GoYaml;
import dev.kubeboot.cli.output.GoJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** kubeadm config images: the control plane's images, listed or pulled. */
@Command(
    name = "images",
    mixinStandardHelpOptions = true,
    description = "Interact with container images used by kubeadm.")
final class ImagesCommand implements Runnable {
  private final CliContext context;
  @Spec CommandSpec spec;

  ImagesCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public void run() {
    spec.commandLine().usage(context.out());
  }

  static CommandLine commandLine(CliContext context) {
    var images = new CommandLine(new ImagesCommand(context));
    images.addSubcommand("list", new CommandLine(new ListImages(context)));
    return images;
  }

  /** kubeadm config images list: text (one per line), or kubeadm's Images object. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "Print a list of images kubeadm will use. The configuration file is used in case any"
            + " images or image repositories are customized.",
        "The list is kubeadm's for the configured Kubernetes version: kube-apiserver,"
            + " kube-controller-manager, kube-scheduler, kube-proxy and CoreDNS (unless disabled),"
            + " pause and, with local etcd, etcd."
      })
  static final class ListImages implements Callable<Integer> {
    private final CliContext context;

    @Mixin ImagesOptions images;

    @Option(
        names = {"-o", "--output", "--experimental-output"},
        paramLabel = "FORMAT",
        description = "Output format: text, json or yaml (default ${DEFAULT-VALUE}).",
        defaultValue = "text")
    String output;

    ListImages(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() throws UsageException {
      if (!List.of("text", "json", "yaml").contains(output)) {
        throw new UsageException(
            "--output "
                + output
                + ": unable to match a printer suitable for the output format; allowed formats"
                + " are: text, json, yaml");
      }
      List<String> list = images.images(context).list();
      context
          .out()
          .print(
              switch (output) {
                case "json" -> GoJson.marshalIndent(document(list, new LinkedHashMap<>()), "    ");
                case "yaml" -> GoYaml.dump(document(list, new TreeMap<>()));
                default -> String.join("\n", list) + "\n";
              });
      context.out().flush();
      return ExitCodes.OK;
    }

    /** kubeadm's Images object (output.kubeadm.k8s.io/v1alpha3). */
    private static Map<String, Object> document(List<String> list, Map<String, Object> doc) {
      doc.put("kind", "Images");
      doc.put("apiVersion", "output.kubeadm.k8s.io/v1alpha3");
      doc.put("images", list);
      return doc;
    }
  }
}
