package dev.kubeboot.cli.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code InitConfiguration.nodeRegistration}. {@code name} and {@code imagePullPolicy} are null as
 * read when unset and filled by {@link ConfigDefaults}. {@code taints} keeps kubeadm's distinction
 * between unset (empty Optional: the control-plane taint) and {@code []} (no taint).
 */
public record NodeRegistration(
    String name,
    Optional<String> criSocket,
    Optional<List<Taint>> taints,
    List<ExtraArg> kubeletExtraArgs,
    List<String> ignorePreflightErrors,
    String imagePullPolicy,
    Optional<Boolean> imagePullSerial) {
  public NodeRegistration {
    Objects.requireNonNull(criSocket, "criSocket");
    taints = taints.map(List::copyOf);
    kubeletExtraArgs = List.copyOf(kubeletExtraArgs);
    ignorePreflightErrors = List.copyOf(ignorePreflightErrors);
    Objects.requireNonNull(imagePullSerial, "imagePullSerial");
  }

  static NodeRegistration unset() {
    return new NodeRegistration(
        null, Optional.empty(), Optional.empty(), List.of(), List.of(), null, Optional.empty());
  }

  NodeRegistration withName(String newName) {
    return new NodeRegistration(
        newName,
        criSocket,
        taints,
        kubeletExtraArgs,
        ignorePreflightErrors,
        imagePullPolicy,
        imagePullSerial);
  }

  NodeRegistration withTaints(List<Taint> newTaints) {
    return new NodeRegistration(
        name,
        criSocket,
        Optional.of(newTaints),
        kubeletExtraArgs,
        ignorePreflightErrors,
        imagePullPolicy,
        imagePullSerial);
  }

  NodeRegistration withCriSocket(String socket) {
    return new NodeRegistration(
        name,
        Optional.of(socket),
        taints,
        kubeletExtraArgs,
        ignorePreflightErrors,
        imagePullPolicy,
        imagePullSerial);
  }

  NodeRegistration withImagePull(String policy, boolean serial) {
    return new NodeRegistration(
        name,
        criSocket,
        taints,
        kubeletExtraArgs,
        ignorePreflightErrors,
        policy,
        Optional.of(serial));
  }
}
