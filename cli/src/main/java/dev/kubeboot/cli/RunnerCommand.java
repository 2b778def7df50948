package dev.kubeboot.cli;

import dev.kubeboot.cli.config.AdvertiseAddressDetector;
import dev.kubeboot.cli.init.PauseImage;
import dev.kubeboot.runner.RunnerSpec;
import dev.kubeboot.runner.Runners;
import dev.kubeboot.runner.StaticPodRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code kubeboot runner}: the runner in the foreground, from its flags. The flags are the runner's
 * own ({@link RunnerSpec#FLAGS}); picocli shows and checks them, {@link RunnerSpec#fromArgs} reads
 * them, as it reads the flags init starts a detached runner with.
 */
final class RunnerCommand implements Callable<Integer> {
  private final CliContext context;
  private CommandSpec spec;

  private RunnerCommand(CliContext context) {
    this.context = context;
  }

  static CommandLine commandLine(CliContext context) {
    var command = new RunnerCommand(context);
    CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
    spec.name("runner");
    spec.mixinStandardHelpOptions(true);
    spec.usageMessage()
        .description(
            "Run the embedded static-pod runner in the foreground: the static-pod half of a kubelet.",
            "It watches the manifest directory and keeps its pods running. On SIGTERM it exits and"
                + " leaves the pods running, as a kubelet restart does; the next runner adopts"
                + " them.");
    for (RunnerSpec.Flag flag : RunnerSpec.FLAGS) {
      var option =
          OptionSpec.builder(flag.name()).paramLabel(flag.label()).description(flag.description());
      if (flag.repeatable()) {
        option.type(List.class).auxiliaryTypes(String.class);
      } else {
        option.type(String.class);
      }
      spec.addOption(option.build());
    }
    command.spec = spec;
    return new CommandLine(spec, context.factory());
  }

  @Override
  public Integer call() throws Exception {
    RunnerSpec runnerSpec = spec();
    StaticPodRunner runner = Runners.start(runnerSpec);
    var stopped = new CountDownLatch(1);
    var hook =
        new Thread(
            () -> {
              runner.close();
              stopped.countDown();
            },
            "kubeboot-runner-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    context
        .err()
        .printf(
            "kubeboot runner: serving %s; status on http://%s:%d/pods; control socket %s%n",
            runnerSpec.manifestPath(),
            runner.statusAddress().getAddress().getHostAddress(),
            runner.statusAddress().getPort(),
            runner.controlSocket());
    context.err().flush();
    stopped.await();
    return ExitCodes.OK;
  }

  /** The spec the matched flags describe, in the runner's own reading of them. */
  RunnerSpec spec() throws UsageException {
    List<String> args = new ArrayList<>();
    for (OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
      if (option.usageHelp() || option.versionHelp()) {
        continue;
      }
      for (String value : option.originalStringValues()) {
        args.add(option.longestName() + "=" + value);
      }
    }
    // The sandbox image follows the version, as kubeadm pins it for each release.
    if (args.stream().noneMatch(a -> a.startsWith("--pod-infra-container-image="))) {
      String version =
          args.stream()
              .filter(a -> a.startsWith("--kubernetes-version="))
              .map(a -> a.substring(a.indexOf('=') + 1))
              .findFirst()
              .orElse(RunnerSpec.DEFAULT_KUBERNETES_VERSION);
      args.add(
          "--pod-infra-container-image=" + PauseImage.of(PauseImage.DEFAULT_REPOSITORY, version));
    }
    try {
      return RunnerSpec.fromArgs(args, HOST);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  /** The kubelet's defaults for the node: the host name, the default-route address. */
  static final RunnerSpec.HostDefaults HOST =
      new RunnerSpec.HostDefaults() {
        @Override
        public String nodeName() {
          try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname"))
                .strip()
                .toLowerCase(Locale.ROOT);
          } catch (IOException e) {
            return "localhost";
          }
        }

        @Override
        public String nodeIP() {
          return new AdvertiseAddressDetector().detect().getHostAddress();
        }
      };
}
