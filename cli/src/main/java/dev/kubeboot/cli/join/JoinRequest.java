package dev.kubeboot.cli.join;

import dev.kubeboot.cli.UsageException;
import dev.kubeboot.cli.cluster.CertificateKey;
import dev.kubeboot.cli.config.InitFlags;
import dev.kubeboot.cli.config.JoinConfiguration;
import dev.kubeboot.cli.token.BootstrapTokenString;
import dev.kubeboot.pki.PublicKeyPins;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@code kubeboot join} is asked to do, from its JoinConfiguration with the flags laid
 * over it, checked before anything is read from the network or written: every malformed value is a
 * usage error naming its flag or field.
 *
 * @param endpoint the API server's {@code host:port} for token discovery; empty with a discovery
 *     file
 * @param token the bootstrap token: discovery's signature key and the identity that reads the
 *     cluster's configuration and certificates
 * @param pins the CA public key pins, normalised
 * @param discoveryFile a kubeconfig to take the cluster from instead of token discovery
 * @param certificateKey decrypts kubeadm-certs; empty: the shared certificates are on disk already
 * @param config the JoinConfiguration (or an empty one)
 * @param flags the node flags that override it
 */
public record JoinRequest(
    Optional<String> endpoint,
    BootstrapTokenString token,
    List<String> pins,
    boolean unsafeSkipCaVerification,
    Optional<Path> discoveryFile,
    Optional<CertificateKey> certificateKey,
    JoinConfiguration config,
    InitFlags flags) {
  public JoinRequest {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(token, "token");
    pins = List.copyOf(pins);
    Objects.requireNonNull(discoveryFile, "discoveryFile");
    Objects.requireNonNull(certificateKey, "certificateKey");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(flags, "flags");
  }

  /**
   * @throws UsageException naming the first bad flag or field
   */
  static JoinRequest of(JoinConfiguration config, JoinOptions o) throws UsageException {
    JoinConfiguration.Discovery d = config.discovery();
    boolean controlPlane = o.controlPlane || config.controlPlane().isPresent();
    if (!controlPlane) {
      throw new UsageException(
          "kubeboot joins control-plane nodes only: give --control-plane (or controlPlane in the"
              + " JoinConfiguration); a worker node needs a kubelet and joins with kubeadm join");
    }
    Optional<Path> file = Optional.ofNullable(o.discoveryFile).or(() -> d.file().map(Path::of));
    Optional<String> endpoint =
        Optional.ofNullable(o.endpoint).filter(s -> !s.isBlank()).or(d::apiServerEndpoint);
    if (file.isEmpty() && endpoint.isEmpty()) {
      throw new UsageException(
          "kubeboot join needs the cluster's API server endpoint (the argument host:port, or"
              + " JoinConfiguration.discovery.bootstrapToken.apiServerEndpoint) or --discovery-file");
    }
    if (file.isPresent() && endpoint.isPresent() && o.endpoint != null) {
      throw new UsageException(
          "give either the API server endpoint " + o.endpoint + " or --discovery-file, not both");
    }
    if (endpoint.isPresent() && !endpoint.get().matches("[^/\\s]+:[0-9]{1,5}")) {
      throw new UsageException(
          "the API server endpoint \""
              + endpoint.get()
              + "\" is not host:port (e.g. 10.0.0.10:6443 or lb.example.com:6443)");
    }
    String tokenSource =
        o.discoveryToken != null
            ? "--discovery-token"
            : o.token != null
                ? "--token"
                : d.token().isPresent()
                    ? "JoinConfiguration.discovery.bootstrapToken.token"
                    : "JoinConfiguration.discovery.tlsBootstrapToken";
    Optional<String> tokenText =
        Optional.ofNullable(o.discoveryToken)
            .or(() -> Optional.ofNullable(o.token))
            .or(d::token)
            .or(d::tlsBootstrapToken);
    if (tokenText.isEmpty()) {
      throw new UsageException(
          "--token is required: kubeboot reads the cluster's configuration and the uploaded"
              + " certificates with it (kubeboot token create on a control-plane node makes one)");
    }
    BootstrapTokenString token =
        BootstrapTokenString.parse(tokenText.get())
            .orElseThrow(
                () ->
                    new UsageException(
                        tokenSource
                            + ": \""
                            + tokenText.get()
                            + "\" is not a bootstrap token; expected [a-z0-9]{6}.[a-z0-9]{16}"));
    boolean pinsFromFlags = !o.caCertHashes.isEmpty();
    List<String> pins = new ArrayList<>();
    for (String pin : pinsFromFlags ? o.caCertHashes : d.caCertHashes()) {
      pins.add(
          PublicKeyPins.parse(pin.strip())
              .orElseThrow(
                  () ->
                      new UsageException(
                          (pinsFromFlags
                                  ? "--discovery-token-ca-cert-hash"
                                  : "JoinConfiguration.discovery.bootstrapToken.caCertHashes")
                              + ": \""
                              + pin
                              + "\" is not a public key pin; expected sha256:<64 hex characters>"
                              + " as kubeboot init prints it")));
    }
    boolean unsafe = o.unsafeSkipCaVerification || d.unsafeSkipCaVerification();
    if (file.isEmpty() && pins.isEmpty() && !unsafe) {
      throw new UsageException(
          "--discovery-token-ca-cert-hash is required with token discovery: without it any server"
              + " answering at "
              + endpoint.get()
              + " would be trusted (kubeboot init prints the hash; --discovery-token-unsafe-skip-ca-"
              + "verification trusts it anyway)");
    }
    String keySource =
        o.certificateKey != null
            ? "--certificate-key"
            : "JoinConfiguration.controlPlane.certificateKey";
    Optional<String> keyText =
        Optional.ofNullable(o.certificateKey)
            .or(
                () ->
                    config.controlPlane().flatMap(JoinConfiguration.ControlPlane::certificateKey));
    Optional<CertificateKey> key = Optional.empty();
    if (keyText.isPresent()) {
      key =
          Optional.of(
              CertificateKey.parse(keyText.get())
                  .orElseThrow(() -> new UsageException(CertificateKey.formatProblem(keySource))));
    }
    if (o.bindPort != null && (o.bindPort < 1 || o.bindPort > 65535)) {
      throw new UsageException(
          "--apiserver-bind-port: " + o.bindPort + " is not a port; expected 1 to 65535");
    }
    InitFlags flags =
        new InitFlags(
            null,
            o.advertiseAddress,
            o.bindPort,
            null,
            null,
            null,
            null,
            null,
            o.nodeName,
            null,
            null);
    return new JoinRequest(
        file.isPresent() ? Optional.empty() : endpoint,
        token,
        pins,
        unsafe,
        file,
        key,
        config,
        flags);
  }
}
