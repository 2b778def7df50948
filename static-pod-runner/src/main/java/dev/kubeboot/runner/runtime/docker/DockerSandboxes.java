package dev.kubeboot.runner.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PullResponseItem;
import dev.kubeboot.runner.network.Attachment;
import dev.kubeboot.runner.network.CniException;
import dev.kubeboot.runner.network.CniPodNetwork;
import dev.kubeboot.runner.network.EtcHosts;
import dev.kubeboot.runner.network.PodHostFiles;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.runtime.ContainerStartException;
import dev.kubeboot.runner.runtime.EngineMounts;
import dev.kubeboot.runner.runtime.OwnedPod;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pod sandboxes in Docker, as dockershim made them: a container {@code k8s_POD_<pod>_<ns>_<uid>_
 * <attempt>} running the pause image with network mode "none" and a shareable IPC namespace,
 * attached to the pod network through CNI at {@code /proc/<pid>/ns/net}; the pod's containers join
 * its network and IPC namespaces. The pod's {@code etc-hosts} and {@code resolv.conf} are written
 * next to its volumes for the containers to mount.
 */
final class DockerSandboxes {
  private static final Logger LOG = LoggerFactory.getLogger(DockerSandboxes.class);

  /** A pod's ready sandbox. */
  record Sandbox(String id, long pid, List<String> ips, PodHostFiles.Written files) {}

  private final DockerClient client;
  private final DockerRuntimeOptions options;
  private final EngineMounts mounts;
  private final CniPodNetwork network;
  private final PodHostFiles hostFiles;
  private final ConcurrentMap<String, Sandbox> cache = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Object> locks = new ConcurrentHashMap<>();

  DockerSandboxes(
      DockerClient client,
      DockerRuntimeOptions options,
      EngineMounts mounts,
      CniPodNetwork network,
      PodHostFiles hostFiles) {
    this.client = client;
    this.options = options;
    this.mounts = mounts;
    this.network = network;
    this.hostFiles = hostFiles;
  }

  /** The pod's IPs as its sandbox got them; empty when it has none (yet). */
  List<String> ips(String podUid) {
    Sandbox s = cache.get(podUid);
    return s == null ? List.of() : s.ips();
  }

  /**
   * The pod's running sandbox: the known one while its pause process lives, else one an earlier
   * runner left (CNI CHECK run on it), else a new one.
   */
  Sandbox ensure(StaticPod pod) throws ContainerStartException, InterruptedException {
    Sandbox known = cache.get(pod.uid());
    if (known != null && alive(known.pid())) {
      return known;
    }
    synchronized (locks.computeIfAbsent(pod.uid(), u -> new Object())) {
      known = cache.get(pod.uid());
      if (known != null && alive(known.pid())) {
        return known;
      }
      if (known != null) {
        LOG.warn("the sandbox {} of pod {} has died: making a new one", known.id(), pod.key());
        cache.remove(pod.uid());
      }
      List<com.github.dockerjava.api.model.Container> existing;
      try {
        existing = sandboxContainers(pod.uid());
      } catch (RuntimeException e) {
        throw new ContainerStartException(
            CniPodNetwork.SETUP_FAILED,
            "cannot list the sandboxes of pod "
                + pod.key()
                + ": "
                + DockerContainerRuntime.engineMessage(e),
            e);
      }
      for (var c : existing) {
        Optional<Sandbox> adopted = adopt(pod, c);
        if (adopted.isPresent()) {
          cache.put(pod.uid(), adopted.get());
          return adopted.get();
        }
      }
      for (var c : existing) {
        teardown(c.getId(), pod.key());
      }
      int attempt = existing.stream().mapToInt(DockerSandboxes::attemptOf).max().orElse(-1) + 1;
      Sandbox made = create(pod, attempt);
      cache.put(pod.uid(), made);
      return made;
    }
  }

  /**
   * A sandbox an earlier runner left, if it runs and has a complete attachment; CHECK runs on it
   * and a failure is logged.
   */
  private Optional<Sandbox> adopt(StaticPod pod, com.github.dockerjava.api.model.Container c)
      throws InterruptedException {
    if (!"running".equals(c.getState())) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = pid(client.inspectContainerCmd(c.getId()).exec());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    Optional<Attachment> attachment = network.find(c.getId());
    if (attachment.isEmpty()
        || attachment.get().result().isEmpty()
        || !attachment.get().netns().equals(netns(pid))) {
      LOG.info("sandbox {} of pod {} has no complete network attachment", c.getId(), pod.key());
      return Optional.empty();
    }
    try {
      network.check(attachment.get());
    } catch (CniException e) {
      // The pod's containers run in this namespace: replacing it would cut them off. CHECK is
      // also known to fail falsely (portmap before plugins 1.3 on IPv4-only pods with hostPorts).
      LOG.warn(
          "CNI CHECK of the sandbox {} of pod {} failed: {}; the pod keeps its network as it is",
          c.getId(),
          pod.key(),
          e.getMessage());
    }
    try {
      PodHostFiles.Written files =
          hostFiles.write(podDir(pod.key(), pod.uid()), pod, attachment.get().podIPs());
      LOG.info(
          "adopted the sandbox {} of pod {} with IP {}",
          c.getId(),
          pod.key(),
          attachment.get().podIPs());
      return Optional.of(new Sandbox(c.getId(), pid, attachment.get().podIPs(), files));
    } catch (IOException e) {
      LOG.warn("cannot write the hosts files of pod {}: {}", pod.key(), e.getMessage());
      return Optional.empty();
    }
  }

  private Sandbox create(StaticPod pod, int attempt)
      throws ContainerStartException, InterruptedException {
    network.network();
    ensureImage(pod);
    String name =
        DockerLabels.containerName(
            DockerLabels.SANDBOX_CONTAINER_NAME,
            pod.key().name(),
            pod.key().namespace(),
            pod.uid(),
            attempt);
    long creating = System.nanoTime();
    String id = createContainer(pod, attempt, name);
    try {
      long starting = System.nanoTime();
      client.startContainerCmd(id).exec();
      long inspecting = System.nanoTime();
      long pid = pid(client.inspectContainerCmd(id).exec());
      long attaching = System.nanoTime();
      Attachment attachment = network.attach(pod, id, netns(pid));
      long attached = System.nanoTime();
      PodHostFiles.Written files =
          hostFiles.write(podDir(pod.key(), pod.uid()), pod, attachment.podIPs());
      LOG.debug(
          "sandbox {} of pod {}: IPs {} (create {} ms, start {} ms, inspect {} ms, CNI ADD {} ms)",
          id,
          pod.key(),
          attachment.podIPs(),
          (starting - creating) / 1_000_000,
          (inspecting - starting) / 1_000_000,
          (attaching - inspecting) / 1_000_000,
          (attached - attaching) / 1_000_000);
      return new Sandbox(id, pid, attachment.podIPs(), files);
    } catch (ContainerStartException e) {
      removeQuietly(id);
      throw e;
    } catch (IOException | RuntimeException e) {
      teardown(id, pod.key());
      throw new ContainerStartException(
          CniPodNetwork.SETUP_FAILED,
          "cannot run the pod sandbox "
              + name
              + " (image "
              + options.podInfraImage()
              + "): "
              + (e instanceof IOException
                  ? e.getMessage()
                  : DockerContainerRuntime.engineMessage(e)),
          e);
    }
  }

  private String createContainer(StaticPod pod, int attempt, String name)
      throws ContainerStartException {
    Map<String, String> labels = new LinkedHashMap<>(pod.labels());
    labels.put(DockerLabels.POD_NAME, pod.key().name());
    labels.put(DockerLabels.POD_NAMESPACE, pod.key().namespace());
    labels.put(DockerLabels.POD_UID, pod.uid());
    labels.put(DockerLabels.CONTAINER_NAME, DockerLabels.SANDBOX_CONTAINER_NAME);
    labels.put(DockerLabels.DOCKER_TYPE, DockerLabels.TYPE_SANDBOX);
    labels.put(DockerLabels.RESTART_COUNT, Integer.toString(attempt));
    labels.put(DockerLabels.MANAGED, "true");
    for (int tries = 0; ; tries++) {
      try {
        return client
            .createContainerCmd(options.podInfraImage())
            .withName(name)
            .withLabels(labels)
            .withHostName(EtcHosts.hostname(pod))
            .withHostConfig(
                HostConfig.newHostConfig().withNetworkMode("none").withIpcMode("shareable"))
            .exec()
            .getId();
      } catch (ConflictException e) {
        if (tries > 0 || !removeIfOurs(name)) {
          throw new ContainerStartException(
              CniPodNetwork.SETUP_FAILED,
              "a container named " + name + " exists and is not kubeboot's: remove it",
              e);
        }
      } catch (RuntimeException e) {
        throw new ContainerStartException(
            CniPodNetwork.SETUP_FAILED,
            "cannot create the pod sandbox "
                + name
                + " (image "
                + options.podInfraImage()
                + "): "
                + DockerContainerRuntime.engineMessage(e),
            e);
      }
    }
  }

  private boolean removeIfOurs(String name) {
    try {
      InspectContainerResponse c = client.inspectContainerCmd(name).exec();
      Map<String, String> labels = c.getConfig().getLabels();
      if (labels == null || !"true".equals(labels.get(DockerLabels.MANAGED))) {
        return false;
      }
      removeQuietly(c.getId());
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The pause image: present, or pulled (IfNotPresent, as the kubelet does for it). */
  private void ensureImage(StaticPod pod) throws ContainerStartException, InterruptedException {
    String image = options.podInfraImage();
    try {
      client.inspectImageCmd(image).exec();
      return;
    } catch (NotFoundException absent) {
      // Pulled below.
    } catch (RuntimeException e) {
      throw new ContainerStartException(
          CniPodNetwork.SETUP_FAILED,
          "cannot inspect the pod sandbox image \""
              + image
              + "\": "
              + DockerContainerRuntime.engineMessage(e),
          e);
    }
    ImageReference ref = ImageReference.parse(image);
    var cmd = client.pullImageCmd(ref.repository());
    if (!ref.tag().isEmpty()) {
      cmd.withTag(ref.tag());
    }
    String[] error = new String[1];
    var progress =
        cmd.exec(
            new ResultCallback.Adapter<PullResponseItem>() {
              @Override
              public void onNext(PullResponseItem item) {
                if (item.getErrorDetail() != null) {
                  error[0] = item.getErrorDetail().getMessage();
                }
              }

              @Override
              public void onError(Throwable t) {
                error[0] = DockerContainerRuntime.engineMessage(t);
                try {
                  close();
                } catch (IOException ignored) {
                  // Closing a failed pull's stream.
                }
              }
            });
    Duration timeout = options.pullTimeout();
    boolean done = progress.awaitCompletion(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (!done || error[0] != null) {
      throw new ContainerStartException(
          CniPodNetwork.SETUP_FAILED,
          "the pod sandbox image \""
              + image
              + "\" of pod "
              + pod.key()
              + " is not in the engine and cannot be pulled ("
              + (done ? error[0] : "no answer within " + timeout)
              + "): load it (docker load) or pass --pod-infra-container-image");
    }
  }

  /**
   * Removes the pod's sandboxes: the network detached first (while the namespace is still held),
   * then the container; and attachments whose sandbox is gone already.
   */
  void remove(PodKey pod, String podUid) throws InterruptedException {
    synchronized (locks.computeIfAbsent(podUid, u -> new Object())) {
      cache.remove(podUid);
      Set<String> done = new LinkedHashSet<>();
      try {
        for (var c : sandboxContainers(podUid)) {
          teardown(c.getId(), pod);
          done.add(c.getId());
        }
      } catch (RuntimeException e) {
        LOG.warn("cannot list the sandboxes of pod {}: {}", pod, e.getMessage());
      }
      for (Attachment a : network.attachments()) {
        if (a.podUid().equals(podUid) && !done.contains(a.containerId())) {
          network.detach(a, false);
        }
      }
    }
    locks.remove(podUid);
  }

  /** Detaches a sandbox's network (in its namespace while it runs) and removes it. */
  private void teardown(String id, PodKey pod) throws InterruptedException {
    Optional<Attachment> attachment = network.find(id);
    if (attachment.isPresent()) {
      boolean alive;
      try {
        InspectContainerResponse c = client.inspectContainerCmd(id).exec();
        alive =
            Boolean.TRUE.equals(c.getState().getRunning())
                && attachment.get().netns().equals(netns(pid(c)));
      } catch (RuntimeException e) {
        alive = false;
      }
      network.detach(attachment.get(), alive);
    }
    removeQuietly(id);
    LOG.debug("removed sandbox {} of pod {}", id, pod);
  }

  /** The pods with sandbox containers or network attachments. */
  List<OwnedPod> owned() {
    Set<OwnedPod> pods = new LinkedHashSet<>();
    for (var c :
        client
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(
                Map.of(
                    DockerLabels.MANAGED,
                    "true",
                    DockerLabels.DOCKER_TYPE,
                    DockerLabels.TYPE_SANDBOX))
            .exec()) {
      Map<String, String> l = c.getLabels();
      if (l.get(DockerLabels.POD_NAME) != null
          && l.get(DockerLabels.POD_NAMESPACE) != null
          && l.get(DockerLabels.POD_UID) != null) {
        pods.add(
            new OwnedPod(
                new PodKey(l.get(DockerLabels.POD_NAMESPACE), l.get(DockerLabels.POD_NAME)),
                l.get(DockerLabels.POD_UID)));
      }
    }
    network.attachments().forEach(a -> pods.add(new OwnedPod(a.pod(), a.podUid())));
    return new ArrayList<>(pods);
  }

  private List<com.github.dockerjava.api.model.Container> sandboxContainers(String podUid) {
    return client
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(
            Map.of(
                DockerLabels.MANAGED,
                "true",
                DockerLabels.DOCKER_TYPE,
                DockerLabels.TYPE_SANDBOX,
                DockerLabels.POD_UID,
                podUid))
        .exec();
  }

  private java.nio.file.Path podDir(PodKey pod, String podUid) {
    return mounts.podDir(pod, podUid);
  }

  private void removeQuietly(String id) {
    try {
      client.removeContainerCmd(id).withForce(true).exec();
    } catch (NotFoundException gone) {
      // Already removed.
    } catch (RuntimeException e) {
      LOG.warn("cannot remove sandbox {}: {}", id, DockerContainerRuntime.engineMessage(e));
    }
  }

  private static long pid(InspectContainerResponse c) {
    Long pid = c.getState().getPidLong();
    if (pid == null || pid <= 0) {
      throw new IllegalStateException("container " + c.getId() + " has no process");
    }
    return pid;
  }

  private static String netns(long pid) {
    return "/proc/" + pid + "/ns/net";
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static int attemptOf(com.github.dockerjava.api.model.Container c) {
    try {
      return Integer.parseInt(c.getLabels().getOrDefault(DockerLabels.RESTART_COUNT, "-1"));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
