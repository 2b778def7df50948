package dev.kubeboot.templates;

import java.time.Duration;
import java.util.List;

/**
 * kubeadm's probe helpers (util/staticpod LivenessProbe, ReadinessProbe, StartupProbe) and, from
 * the kubeadm releases that have it ({@link KubeadmRelease#namedProbePort}), the named probe port.
 */
final class Probes {

  static final String PROBE_PORT_NAME = "probe-port";
  private static final Duration STARTUP_PERIOD = Duration.ofSeconds(10);

  private final ProbePort port;
  private final String scheme;
  private final String host;
  private final int startupFailureThreshold;

  /**
   * @param host empty to probe the pod IP
   */
  Probes(
      KubeadmRelease release, Duration healthCheckTimeout, String scheme, String host, int port) {
    this.port =
        release.namedProbePort()
            ? ProbePort.ofName(PROBE_PORT_NAME, port)
            : ProbePort.ofNumber(port);
    this.scheme = scheme;
    this.host = host;
    this.startupFailureThreshold = startupFailureThreshold(healthCheckTimeout);
  }

  /** ceil(timeout / period): 24 for kubeadm's 4m default. */
  static int startupFailureThreshold(Duration healthCheckTimeout) {
    long periods =
        (healthCheckTimeout.toNanos() + STARTUP_PERIOD.toNanos() - 1) / STARTUP_PERIOD.toNanos();
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, periods));
  }

  HttpProbe liveness(String path) {
    return new HttpProbe(scheme, host, path, port, 10, 15, 10, 8);
  }

  HttpProbe readiness(String path) {
    return new HttpProbe(scheme, host, path, port, 0, 15, 1, 3);
  }

  HttpProbe startup(String path) {
    return new HttpProbe(scheme, host, path, port, 10, 15, 10, startupFailureThreshold);
  }

  /** The container ports the probes refer to: one named port from 1.34, none before. */
  List<ContainerPort> containerPorts() {
    return port.isNamed()
        ? List.of(new ContainerPort(port.name(), port.number(), "TCP"))
        : List.of();
  }

  /**
   * kubeadm's getProbeAddress: the unspecified bind addresses "0.0.0.0" and "::" mean "probe the
   * pod IP". kubeadm compares the text; so does kubeboot.
   */
  static String probeHost(String address) {
    return address.equals("0.0.0.0") || address.equals("::") ? "" : address;
  }
}
