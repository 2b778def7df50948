package dev.kubeboot.cli.health;

import dev.kubeboot.cli.config.ExtraArg;
import dev.kubeboot.cli.config.KubeadmConfig;
import dev.kubeboot.cli.config.LocalEtcd;
import dev.kubeboot.pki.Pem;
import dev.kubeboot.templates.IpText;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The health endpoints of a kubeadm control plane (DESIGN §7): kubeadm's own checks, plus etcd over
 * mutual TLS with the healthcheck-client certificate, plus the runner.
 */
public final class ControlPlaneChecks {
  private static final Duration CONNECT = Duration.ofSeconds(2);

  private ControlPlaneChecks() {}

  public static HealthCheck runner(int port) {
    return new HealthCheck(
        "runner",
        URI.create("http://127.0.0.1:" + port + "/healthz"),
        java.net.http.HttpClient.newBuilder().connectTimeout(CONNECT).build());
  }

  /**
   * The component checks for a defaulted config; files are read now, so call after the certs exist.
   */
  public static List<HealthCheck> components(KubeadmConfig config, Path kubernetesDir, Path certDir)
      throws IOException {
    var checks = new ArrayList<HealthCheck>();
    var cluster = config.cluster();
    if (cluster.etcd() instanceof LocalEtcd local) {
      var ca = Pem.decodeCertificate(Files.readString(certDir.resolve("etcd/ca.crt")));
      var cert =
          Pem.decodeCertificate(Files.readString(certDir.resolve("etcd/healthcheck-client.crt")));
      var key =
          Pem.decodePrivateKey(Files.readString(certDir.resolve("etcd/healthcheck-client.key")));
      String clientUrl =
          firstUrl(local.extraArgs(), "listen-client-urls").orElse("https://127.0.0.1:2379");
      checks.add(
          new HealthCheck(
              "etcd",
              URI.create(stripSlash(clientUrl) + "/health"),
              TlsClients.mutual(ca, cert, key, CONNECT)));
    }
    var endpoint = config.init().localAPIEndpoint();
    checks.add(
        new HealthCheck(
            "kube-apiserver",
            URI.create(
                "https://"
                    + hostPort(IpText.format(endpoint.advertiseAddress()), endpoint.bindPort())
                    + "/livez"),
            adminClient(kubernetesDir.resolve("admin.conf"))));
    var cm = cluster.controllerManager().extraArgs();
    checks.add(
        new HealthCheck(
            "kube-controller-manager",
            URI.create(
                "https://"
                    + hostPort(
                        arg(cm, "bind-address").orElse("127.0.0.1"),
                        Integer.parseInt(arg(cm, "secure-port").orElse("10257")))
                    + "/healthz"),
            TlsClients.insecure(CONNECT)));
    var sched = cluster.scheduler().extraArgs();
    boolean livez = cluster.kubernetesVersion().kubeadmRelease().schedulerLivezReadyz();
    checks.add(
        new HealthCheck(
            "kube-scheduler",
            URI.create(
                "https://"
                    + hostPort(
                        arg(sched, "bind-address").orElse("127.0.0.1"),
                        Integer.parseInt(arg(sched, "secure-port").orElse("10259")))
                    + (livez ? "/livez" : "/healthz")),
            TlsClients.insecure(CONNECT)));
    return checks;
  }

  /**
   * etcd's {@code /health} on each endpoint of a cluster kubeboot does not run, with the client
   * files the API server uses for it (mutual TLS for https endpoints, as {@code etcdctl endpoint
   * health}); plain HTTP for http endpoints. One check per endpoint, named after it.
   *
   * @param connectTimeout for the TCP connection and the TLS handshake (the JDK's client counts
   *     both): a first handshake on a loaded host can take seconds
   * @throws IOException a client file cannot be read
   * @throws IllegalArgumentException a client file is not a PEM certificate or key
   */
  public static List<HealthCheck> externalEtcd(
      List<String> endpoints,
      Optional<Path> caFile,
      Optional<Path> certFile,
      Optional<Path> keyFile,
      Duration connectTimeout)
      throws IOException {
    java.net.http.HttpClient client;
    if (caFile.isPresent() && certFile.isPresent() && keyFile.isPresent()) {
      client =
          TlsClients.mutual(
              Pem.decodeCertificate(Files.readString(caFile.get())),
              Pem.decodeCertificate(Files.readString(certFile.get())),
              Pem.decodePrivateKey(Files.readString(keyFile.get())),
              connectTimeout);
    } else {
      client = java.net.http.HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    }
    var checks = new ArrayList<HealthCheck>();
    for (String endpoint : endpoints) {
      checks.add(
          new HealthCheck(
              "etcd " + stripSlash(endpoint),
              URI.create(stripSlash(endpoint) + "/health"),
              client));
    }
    return checks;
  }

  /**
   * A client with admin.conf's identity that verifies the API server against the cluster CA in it.
   */
  @SuppressWarnings("unchecked")
  public static java.net.http.HttpClient adminClient(Path adminConf) throws IOException {
    Map<String, Object> doc =
        new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(adminConf));
    var cluster =
        (Map<String, Object>)
            ((List<Map<String, Object>>) doc.get("clusters")).get(0).get("cluster");
    var user =
        (Map<String, Object>) ((List<Map<String, Object>>) doc.get("users")).get(0).get("user");
    var ca = Pem.decodeCertificate(decode(cluster.get("certificate-authority-data")));
    var cert = Pem.decodeCertificate(decode(user.get("client-certificate-data")));
    var key = Pem.decodePrivateKey(decode(user.get("client-key-data")));
    return TlsClients.mutual(ca, cert, key, CONNECT);
  }

  private static String decode(Object base64) {
    return new String(
        Base64.getDecoder().decode(String.valueOf(base64)), StandardCharsets.US_ASCII);
  }

  private static Optional<String> arg(List<ExtraArg> args, String name) {
    return args.stream()
        .filter(a -> a.name().equals(name))
        .map(ExtraArg::value)
        .reduce((a, b) -> b);
  }

  private static Optional<String> firstUrl(List<ExtraArg> args, String name) {
    return arg(args, name).map(v -> v.split(",")[0].strip());
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  static String hostPort(String host, int port) {
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    if (h.equals("0.0.0.0")) {
      h = "127.0.0.1";
    } else if (h.equals("[::]")) {
      h = "[::1]";
    }
    return h + ":" + port;
  }
}
