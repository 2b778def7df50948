package dev.kubeboot.testing;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Entry point of the stand-ins (test doubles): {@code java -jar kubeboot-testing.jar <component>
 * --flag=value ...} where component is kube-apiserver, kube-controller-manager or kube-scheduler.
 * Runs until SIGTERM or SIGINT, then stops serving and exits 0.
 */
public final class StandInMain {
  static final String VERSION_ENV = "KUBEBOOT_STANDIN_VERSION";

  private StandInMain() {}

  public static void main(String[] args) {
    int code = run(args, System.err, new CountDownLatch(1), true);
    System.exit(code);
  }

  /**
   * Starts the named stand-in and blocks until {@code stop} is counted down (by a signal when
   * {@code handleSignals}). Returns 0 after a clean stop, 1 when it could not start, 2 on a usage
   * error.
   */
  static int run(String[] args, PrintStream err, CountDownLatch stop, boolean handleSignals) {
    if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
      err.println(usage());
      return args.length == 0 ? 2 : 0;
    }
    List<String> flags = Arrays.asList(args).subList(1, args.length);
    if (flags.contains("--help") || flags.contains("-h")) {
      err.println(usage());
      return 0;
    }
    StandIn standIn;
    try {
      Flags parsed = Flags.parse(flags);
      Clock clock = Clock.systemUTC();
      standIn =
          switch (args[0]) {
            case "kube-apiserver" -> ApiServerStandIn.start(parsed, clock, gitVersion());
            case "kube-controller-manager" ->
                ComponentStandIn.start(
                    ComponentStandIn.Component.CONTROLLER_MANAGER, parsed, clock);
            case "kube-scheduler" ->
                ComponentStandIn.start(ComponentStandIn.Component.SCHEDULER, parsed, clock);
            default -> {
              err.println("unknown component \"" + args[0] + "\"\n" + usage());
              yield null;
            }
          };
    } catch (StandInConfigException e) {
      err.println(args[0] + " stand-in (test double): " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
    if (standIn == null) {
      return 2;
    }
    if (handleSignals) {
      Signal.handle(new Signal("TERM"), s -> stop.countDown());
      Signal.handle(new Signal("INT"), s -> stop.countDown());
    }
    try (standIn) {
      stop.await();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  private static String gitVersion() {
    String fromEnv = System.getenv(VERSION_ENV);
    return fromEnv == null || fromEnv.isBlank() ? ApiServerStandIn.DEFAULT_GIT_VERSION : fromEnv;
  }

  private static String usage() {
    return """
        kubeboot-testing: stand-ins (test doubles) for Kubernetes control-plane components.
        NOT Kubernetes: they read the flags kubeboot renders and serve health over TLS.

        usage: kubeboot-testing <component> [--flag=value ...]
          kube-apiserver           kube-apiserver stand-in (test double): HTTPS with
                                   --tls-cert-file/--tls-private-key-file, client certs checked against
                                   --client-ca-file, bootstrap tokens (--enable-bootstrap-token-auth),
                                   /livez /readyz /healthz failing while etcd (--etcd-servers,
                                   --etcd-cafile/certfile/keyfile, mTLS) is down, /version, and a
                                   Kubernetes API whose objects live in that etcd (--etcd-prefix).
                                   --bind-address (0.0.0.0) --secure-port (6443) --anonymous-auth (true)
                                   gitVersion from $KUBEBOOT_STANDIN_VERSION, else v1.34.2-standin
          kube-controller-manager  controller-manager stand-in (test double): /healthz /livez /readyz
                                   on --bind-address (0.0.0.0) --secure-port (10257), self-signed cert;
                                   --kubeconfig required; bootstrapsigner and tokencleaner when
                                   --controllers names them
          kube-scheduler           scheduler stand-in (test double): health on port 10259
        Every other flag is accepted and ignored. SIGTERM stops it with exit code 0.""";
  }
}
