package dev.kubeboot.runner.runtime;

/** The outcome of a command run in a container; {@code output} is cut at a few KiB. */
public record ExecResult(int exitCode, String output, boolean timedOut) {}
