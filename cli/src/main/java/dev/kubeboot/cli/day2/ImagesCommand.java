package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.ExitCodes;
import dev.kubeboot.cli.KubebootException;
import dev.kubeboot.cli.UsageException;
import dev.kubeboot.cli.config.GoYaml;
import dev.kubeboot.cli.config.KubeadmConfig;
import dev.kubeboot.cli.init.ConfigMapping;
import dev.kubeboot.cli.options.RunnerOptions;
import dev.kubeboot.cli.output.GoJson;
import dev.kubeboot.runner.ImagePullException;
import dev.kubeboot.runner.ImagePuller;
import dev.kubeboot.runner.RunnerClient;
import dev.kubeboot.runner.RunnerSpec;
import dev.kubeboot.runner.Runners;
import dev.kubeboot.runner.status.RunnerStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    images.addSubcommand("pull", new CommandLine(new PullImages(context)));
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

  /**
   * kubeadm config images pull: each image of the list pulled through the container runtime the
   * runner uses, so init's static pods find them there.
   */
  @Command(
      name = "pull",
      mixinStandardHelpOptions = true,
      description = {
        "Pull images used by kubeadm.",
        "The images of `config images list`, pulled through the container runtime: the one"
            + " --container-runtime (and --container-runtime-endpoint or --cri-socket) name, else"
            + " the config's nodeRegistration.criSocket, else the one this node's runner uses, else"
            + " what auto finds (a CRI socket, then Docker). The process runtime keeps no images."
      })
  static final class PullImages implements Callable<Integer> {
    private final CliContext context;

    @Mixin ImagesOptions images;

    @Option(
        names = "--container-runtime",
        paramLabel = "RUNTIME",
        description = "docker, cri, or auto (default: see above).")
    String containerRuntime;

    @Option(
        names = {"--container-runtime-endpoint", "--cri-socket"},
        paramLabel = "URI",
        description =
            "The runtime's socket, e.g. unix:///run/containerd/containerd.sock; --cri-socket alone"
                + " means a CRI runtime there.")
    String endpoint;

    @Mixin RunnerOptions runner = new RunnerOptions();

    PullImages(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() throws UsageException, KubebootException, InterruptedException {
      if (containerRuntime != null && !RunnerSpec.RUNTIMES.contains(containerRuntime)) {
        throw new UsageException(
            "--container-runtime "
                + containerRuntime
                + ": not a runtime; use one of "
                + String.join(", ", RunnerSpec.RUNTIMES));
      }
      KubeadmConfig config = images.load(context);
      List<String> list = ConfigMapping.controlPlaneImages(config).list();
      Runners.RuntimeChoice choice = choice(config);
      if (choice.runtime().equals("process")) {
        if ("process".equals(containerRuntime)) {
          throw new UsageException(
              "--container-runtime process: host processes keep no images, there is nothing to"
                  + " pull; use docker or cri");
        }
        throw new KubebootException(
            "no container runtime answers on this host (no CRI socket at the usual paths of"
                + " containerd and CRI-O, no Docker engine): start containerd or Docker, or name"
                + " the socket with --container-runtime-endpoint");
      }
      Path stateDir = runner.stateDir(Optional.empty());
      PrintWriter out = context.out();
      try (ImagePuller puller = ImagePuller.open(choice, stateDir)) {
        for (String image : list) {
          try {
            puller.pull(image);
          } catch (ImagePullException e) {
            throw new KubebootException(
                e.getMessage()
                    + " (through the "
                    + choice.runtime()
                    + " runtime at "
                    + choice.endpoint()
                    + ")",
                e);
          }
          out.println("[config/images] Pulled " + image);
          out.flush();
        }
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new KubebootException(e.getMessage(), e);
      }
      return ExitCodes.OK;
    }

    /** The runtime as the description says, auto resolved on this host. */
    private Runners.RuntimeChoice choice(KubeadmConfig config) throws InterruptedException {
      Optional<String> given = Optional.ofNullable(endpoint);
      if (containerRuntime != null) {
        return Runners.resolve(containerRuntime, given);
      }
      if (given.isPresent()) {
        return Runners.resolve("cri", given);
      }
      Optional<String> criSocket = config.init().nodeRegistration().criSocket();
      if (criSocket.isPresent()) {
        return Runners.resolve("cri", criSocket);
      }
      RunnerClient client = runner.client(Optional.empty());
      Optional<RunnerStatus> status = client.status().or(client::lastState);
      if (status.isPresent() && !status.get().runtime().equals("process")) {
        return new Runners.RuntimeChoice(status.get().runtime(), status.get().runtimeEndpoint());
      }
      return Runners.resolve(RunnerSpec.DEFAULT_RUNTIME, Optional.empty());
    }
  }
}
