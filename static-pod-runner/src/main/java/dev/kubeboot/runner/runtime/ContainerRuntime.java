package dev.kubeboot.runner.runtime;

import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.StaticPod;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The one seam between pod workers and a container engine (host processes, Docker, CRI). Workers
 * decide when; a runtime only knows how.
 *
 * <p>Container lifecycle: {@link #start} -> running -> exits by itself or through {@link #stop} ->
 * {@link #onExit} completes once with the exit. A container left running by an earlier runner is
 * found again by {@link #listOwned} and adopted: the runtime marks everything it starts as its own
 * (labels, a marker variable, pid files) so it never touches what it does not own.
 */
public interface ContainerRuntime extends AutoCloseable {
  /** Short name shown in status: "process", "docker", "cri". */
  String name();

  /**
   * Gives a pod what its containers share, before the first of them starts: for a pod without
   * hostNetwork its sandbox, holding the pod's network namespace with an IP from the pod network
   * (CNI), its /etc/hosts and resolv.conf. Finds the sandbox again when the pod has one, also one
   * left by an earlier runner. The worker calls it before the pod's first container and again after
   * a failure; {@link #start} makes the sandbox too when it has gone since.
   *
   * <p>The default, for runtimes without sandboxes, runs every pod on the host's network.
   *
   * @return the pod's IPs, primary first; empty for a hostNetwork pod
   * @throws ContainerStartException reason {@code NetworkPluginNotReady} while the node has no
   *     usable pod network (the message says what to install or set), {@code CreatePodSandboxError}
   *     when making the sandbox failed; the worker retries
   */
  default List<String> preparePod(StaticPod pod)
      throws ContainerStartException, InterruptedException {
    return List.of();
  }

  /**
   * The IPs of a pod's own network, primary first, as last prepared or found; empty for a
   * hostNetwork pod or one not prepared yet. Cheap: no call to the engine.
   */
  default List<String> podIPs(String podUid) {
    return List.of();
  }

  /**
   * The pods this runtime holds sandboxes or network attachments for (in this or an earlier runner
   * process), running containers or not: at start the runner removes those no manifest wants any
   * more, so that a sandbox or network namespace left by a killed runner does not leak.
   */
  default List<OwnedPod> listOwnedPods() throws InterruptedException {
    return List.of();
  }

  /**
   * Starts one container of a pod and returns once it is running.
   *
   * @param attempt the restart count of this container, 0 for the first start
   * @throws ContainerStartException the container could not be started (missing image or
   *     executable, bad mount, ...); the worker shows {@link ContainerStartException#reason()} and
   *     retries with backoff
   */
  ContainerHandle start(StaticPod pod, Container container, int attempt)
      throws ContainerStartException, InterruptedException;

  /**
   * Pulls an image into the engine's store, as a container with imagePullPolicy Always would before
   * it starts ({@code kubeadm config images pull}); bounded by the runtime's pull timeout. A
   * runtime without an image store (host processes) refuses.
   *
   * @throws ContainerStartException ErrImagePull, with the engine's or registry's message
   */
  default void pullImage(String image) throws ContainerStartException, InterruptedException {
    throw new ContainerStartException(
        "ErrImagePull",
        "the "
            + name()
            + " runtime keeps no images: it cannot pull \""
            + image
            + "\"; use a Docker or CRI runtime");
  }

  /** Completes once, when the container has exited (also for adopted containers). */
  CompletionStage<ExitStatus> onExit(ContainerHandle container);

  /**
   * Stops a container gracefully: its stop signal (SIGTERM), then SIGKILL once {@code gracePeriod}
   * has passed. Returns when it has exited; stopping an exited container is a no-op.
   */
  void stop(ContainerHandle container, Duration gracePeriod) throws InterruptedException;

  /** Runs a command inside the container (exec probes, preStop exec hooks). */
  ExecResult exec(ContainerHandle container, List<String> command, Duration timeout)
      throws InterruptedException;

  /**
   * The containers this runtime started earlier (in this or a previous runner process) and that
   * still run.
   */
  List<ContainerHandle> listOwned() throws InterruptedException;

  /**
   * Hands over the spec of a container found by {@link #listOwned}, before anything is exec'd in
   * it. A runtime whose engine keeps how to exec in a container (Docker, CRI) has nothing to do;
   * the process runtime rebuilds the environment, working directory and user of exec from it, never
   * from what the running process shows, which that process may have rewritten.
   */
  default void resume(ContainerHandle container, StaticPod pod, Container spec) {}

  /**
   * Forgets a pod whose containers have all stopped: sandbox, pid files and other bookkeeping. Logs
   * may be kept.
   */
  void removePod(PodKey pod, String podUid) throws InterruptedException;

  /**
   * The file holding a container's output, for {@code kubeboot logs}; empty when the engine keeps
   * logs itself (Docker: {@code docker logs}).
   */
  default Optional<Path> logPath(ContainerHandle container) {
    return Optional.empty();
  }

  /**
   * Copies a container's log to {@code out} as {@code kubectl logs} shows it, for {@code kubeboot
   * logs}. The container may be another runner process's: a runtime made just for this finds it by
   * what it keeps for every container (log files, engine labels).
   *
   * @throws LogNotFoundException there is no such container instance, or it left no log
   * @throws IOException the log cannot be read, or writing {@code out} failed
   */
  void copyLog(LogQuery query, OutputStream out) throws IOException, InterruptedException;

  /**
   * What the Node's {@code nodeInfo.containerRuntimeVersion} shows, as the kubelet writes it:
   * {@code <runtime name>://<version>}, e.g. {@code containerd://1.6.20}, {@code
   * docker://20.10.24}.
   */
  default String version() {
    return name() + "://unknown";
  }

  /**
   * Rotates the logs of running containers that this runtime writes itself, or has the engine write
   * at paths it chose, once they are over the size {@code rotator} allows. Called every {@link
   * LogRotator#CHECK_INTERVAL}; an engine that rotates its own logs (Docker) has nothing to do.
   *
   * @throws IOException a log could not be rotated (the others are still tried)
   */
  default void rotateLogs(LogRotator rotator) throws IOException, InterruptedException {}

  @Override
  void close();
}
