package dev.kubeboot.cli.init;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One init over an in-memory sink, a scripted host and a recording runner control: what a phase's
 * unit test runs. Options are init's own, set field by field.
 */
final class PhaseFixture {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  final Path kubernetesDir;
  final InitOptions options = new InitOptions();
  final MemoryFileSink sink = new MemoryFileSink();
  final FakeSystem system = new FakeSystem();
  final RecordingRunner runner = new RecordingRunner();

  /** How the session gets its runner control; the recording one unless a test swaps it. */
  InitSession.RunnerControlFactory runners = (o, dryRun) -> runner;

  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  PhaseFixture(Path kubernetesDir) {
    this.kubernetesDir = kubernetesDir;
    options.node.kubernetesDir = kubernetesDir;
    options.advertiseAddress = "192.0.2.10";
    options.nodeName = "n1";
    options.kubernetesVersion = "v1.34.0";
  }

  KubeLayout layout() {
    return KubeLayout.of(kubernetesDir, kubernetesDir.resolve("pki"));
  }

  /** Runs the phases under these paths (none: all), output kept for {@link #out()}. */
  void run(String... only) throws Exception {
    runSkipping(List.of(), only);
  }

  /** Runs the phases under {@code only} (none: all) except those under {@code skip}. */
  void runSkipping(List<String> skip, String... only) throws Exception {
    out = new StringWriter();
    err = new StringWriter();
    new InitSession(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            Clock.fixed(NOW, ZoneOffset.UTC),
            Map.of(),
            system,
            runners)
        .run(options, List.of(only), skip, sink);
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }

  /** A host with enough of everything, as root, every port free, no swap. */
  static final class FakeSystem implements SystemFacts {
    int cpus = 2;
    long memory = 4L << 30;
    boolean root = true;
    boolean swap;
    final Set<Integer> busyPorts = new HashSet<>();

    @Override
    public int cpus() {
      return cpus;
    }

    @Override
    public long memoryBytes() {
      return memory;
    }

    @Override
    public boolean isRoot() {
      return root;
    }

    @Override
    public boolean portFree(int port) {
      return !busyPorts.contains(port);
    }

    @Override
    public boolean swapOn() {
      return swap;
    }

    @Override
    public Optional<Path> onPath(String executable) {
      return Optional.empty();
    }
  }

  /** Records what init asked of the runner, and the context it asked with. */
  static final class RecordingRunner implements RunnerControl {
    final List<String> calls = new ArrayList<>();
    InitContext context;

    @Override
    public void start(InitContext ctx) {
      calls.add("start " + ctx.layout().manifestDir());
      context = ctx;
    }

    @Override
    public void waitForControlPlane(InitContext ctx) {
      calls.add("wait " + ctx.layout().manifestDir());
      context = ctx;
    }
  }

  static int freePort() throws Exception {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
