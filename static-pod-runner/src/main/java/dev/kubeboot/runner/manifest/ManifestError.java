package dev.kubeboot.runner.manifest;

import java.nio.file.Path;

/** Why one manifest file does not (or no longer) define a pod. */
public record ManifestError(Path file, String message) {}
