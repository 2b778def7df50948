package dev.kubeboot.cli.day2;

import dev.kubeboot.cli.CliContext;
import dev.kubeboot.cli.ExitCodes;
import dev.kubeboot.cli.UsageException;
import dev.kubeboot.cli.config.AdvertiseAddressDetector;
import dev.kubeboot.cli.config.ConfigException;
import dev.kubeboot.cli.config.ConfigReader;
import dev.kubeboot.cli.config.InitConfigLoader;
import dev.kubeboot.cli.config.InitFlags;
import dev.kubeboot.cli.config.KubeadmConfig;
import dev.kubeboot.cli.init.InitOptions;
import dev.kubeboot.cli.init.InitSession;
import dev.kubeboot.cli.options.RunnerOptions;
import dev.kubeboot.templates.InvalidInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * kubeadm config validate: the file read, defaulted and validated as {@code kubeboot init --config}
 * would; "ok" when it is valid, every problem at once otherwise.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Read a file containing the kubeadm configuration API and report any validation problems.",
      "The file is read, defaulted and validated as 'kubeboot init --config' reads it: every unknown"
          + " field, wrong type and invalid value is reported at once, each with file, line and"
          + " field. Prints ok and exits 0 when there is none; exits 2 otherwise.",
      "Supported: kubeadm.k8s.io/v1beta4 and v1beta3 InitConfiguration and ClusterConfiguration,"
          + " and a kubelet.config.k8s.io/v1beta1 KubeletConfiguration."
    })
final class ConfigValidateCommand implements Callable<Integer> {
  private final CliContext context;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "Path to the kubeadm configuration file to validate.")
  Path config;

  @Option(
      names = "--kubernetes-dir",
      paramLabel = "DIR",
      description =
          "The directory init would use (default /etc/kubernetes): the default certificatesDir"
              + " and etcd dataDir, and where staticPodPath must point.")
  Path kubernetesDir;

  ConfigValidateCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws UsageException {
    InitOptions options = InitOptions.forNode(config, kubernetesDir, null, new RunnerOptions());
    ConfigReader.Reading reading = new ConfigReader().readAll(config);
    List<String> problems = new ArrayList<>(reading.problems());
    if (reading.config().isPresent()) {
      // What could be read is defaulted and validated too, so one run names every problem: a
      // value that could not be read is unset there, so it is defaulted, not reported twice.
      var loader =
          new InitConfigLoader(
              options.nodePaths(),
              InitSession::hostname,
              () -> new AdvertiseAddressDetector().detect());
      try {
        KubeadmConfig resolved = loader.resolve(reading.config().get(), InitFlags.none());
        resolved.warnings().forEach(w -> context.err().println("W " + w));
      } catch (ConfigException | InvalidInputException e) {
        problems.addAll(e.getMessage().lines().toList());
      }
    }
    context.err().flush();
    if (!problems.isEmpty()) {
      throw new UsageException(
          problems.size()
              + (problems.size() == 1 ? " problem" : " problems")
              + " in "
              + config
              + ":\n"
              + String.join("\n", problems));
    }
    context.out().println("ok");
    context.out().flush();
    return ExitCodes.OK;
  }
}
