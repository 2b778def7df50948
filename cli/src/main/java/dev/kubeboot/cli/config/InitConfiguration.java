package dev.kubeboot.cli.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** kubeadm's {@code InitConfiguration}: settings for this node and this run of init. */
public record InitConfiguration(
    List<BootstrapToken> bootstrapTokens,
    NodeRegistration nodeRegistration,
    ApiEndpoint localAPIEndpoint,
    Optional<String> certificateKey,
    List<String> skipPhases,
    Optional<String> patchesDirectory,
    boolean dryRun,
    Timeouts timeouts) {
  public InitConfiguration {
    bootstrapTokens = List.copyOf(bootstrapTokens);
    Objects.requireNonNull(nodeRegistration, "nodeRegistration");
    Objects.requireNonNull(localAPIEndpoint, "localAPIEndpoint");
    Objects.requireNonNull(certificateKey, "certificateKey");
    skipPhases = List.copyOf(skipPhases);
    Objects.requireNonNull(patchesDirectory, "patchesDirectory");
    Objects.requireNonNull(timeouts, "timeouts");
  }

  static InitConfiguration unset() {
    return new InitConfiguration(
        List.of(),
        NodeRegistration.unset(),
        ApiEndpoint.unset(),
        Optional.empty(),
        List.of(),
        Optional.empty(),
        false,
        Timeouts.unset());
  }

  InitConfiguration withBootstrapTokens(List<BootstrapToken> tokens) {
    return new InitConfiguration(
        tokens,
        nodeRegistration,
        localAPIEndpoint,
        certificateKey,
        skipPhases,
        patchesDirectory,
        dryRun,
        timeouts);
  }

  InitConfiguration withNodeRegistration(NodeRegistration registration) {
    return new InitConfiguration(
        bootstrapTokens,
        registration,
        localAPIEndpoint,
        certificateKey,
        skipPhases,
        patchesDirectory,
        dryRun,
        timeouts);
  }

  InitConfiguration withLocalAPIEndpoint(ApiEndpoint endpoint) {
    return new InitConfiguration(
        bootstrapTokens,
        nodeRegistration,
        endpoint,
        certificateKey,
        skipPhases,
        patchesDirectory,
        dryRun,
        timeouts);
  }

  InitConfiguration withTimeouts(Timeouts newTimeouts) {
    return new InitConfiguration(
        bootstrapTokens,
        nodeRegistration,
        localAPIEndpoint,
        certificateKey,
        skipPhases,
        patchesDirectory,
        dryRun,
        newTimeouts);
  }
}
