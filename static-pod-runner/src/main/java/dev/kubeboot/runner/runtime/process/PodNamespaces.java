package dev.kubeboot.runner.runtime.process;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.kubeboot.runner.fs.AtomicWriter;
import dev.kubeboot.runner.network.Attachment;
import dev.kubeboot.runner.network.CniException;
import dev.kubeboot.runner.network.CniPodNetwork;
import dev.kubeboot.runner.network.PodHostFiles;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.runtime.ContainerStartException;
import dev.kubeboot.runner.runtime.DirectoryTrees;
import dev.kubeboot.runner.runtime.OwnedPod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network namespaces of host-process pods without hostNetwork: one named namespace per pod,
 * {@code kubeboot-<uid>} ({@code ip netns add}, so it lives in {@code /run/netns} without a process
 * holding it), attached to the pod network by the runner with the CNI plugins. The pod's processes
 * start through {@code ip netns exec}, which also gives them the pod's {@code /etc/hosts} and
 * {@code /etc/resolv.conf}: it binds the files of {@code /etc/netns/<name>/} over {@code /etc} in a
 * mount namespace of the process's own.
 *
 * <p>Each namespace is recorded in {@code <state>/netns/<name>.json} (the pod it belongs to) before
 * it is made, so that a runner killed at any point leaves enough for the next one to find the pod
 * and remove the namespace when no manifest wants it.
 */
final class PodNamespaces {
  private static final Logger LOG = LoggerFactory.getLogger(PodNamespaces.class);

  static final String PREFIX = "kubeboot-";

  /** What the manifest decoder lets through as a uid, checked again: it names files and mounts. */
  private static final Pattern UID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private static final Duration IP_TIMEOUT = Duration.ofSeconds(30);

  /** A pod's namespace, attached. */
  record Sandbox(String name, List<String> ips) {}

  private final CniPodNetwork network;
  private final PodHostFiles hostFiles;
  private final Path records;
  private final Path runNetns;
  private final Path etcNetns;
  private final Optional<String> ip;
  private final ConcurrentMap<String, Sandbox> cache = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Object> locks = new ConcurrentHashMap<>();

  /**
   * @param stateDir {@code netns/} there holds the namespace records
   * @param ip the {@code ip} command (iproute2); empty: not installed, pods with their own network
   *     wait naming it
   */
  PodNamespaces(CniPodNetwork network, PodHostFiles hostFiles, Path stateDir, Optional<String> ip) {
    this.network = network;
    this.hostFiles = hostFiles;
    this.records = stateDir.resolve("netns");
    this.runNetns = Path.of("/run/netns");
    this.etcNetns = Path.of("/etc/netns");
    this.ip = ip;
  }

  private static boolean validUid(String uid) {
    return UID.matcher(uid).matches() && !uid.contains("..");
  }

  /** The namespace name of a pod. */
  static String name(String podUid) {
    return PREFIX + podUid;
  }

  /** {@code ip netns exec <name>}: what a pod's commands are prefixed with. */
  List<String> execPrefix(String podUid) {
    return List.of(ip.orElse("ip"), "netns", "exec", name(podUid));
  }

  /** The pod's IPs as its namespace got them; empty when it has none (yet). */
  List<String> ips(String podUid) {
    Sandbox s = cache.get(podUid);
    return s == null ? List.of() : s.ips();
  }

  /** Whether the pod's namespace exists now. */
  boolean exists(String podUid) {
    return Files.exists(runNetns.resolve(name(podUid)));
  }

  /**
   * The pod's attached namespace: the known one while it exists, else one an earlier runner made
   * (CNI CHECK run on it), else a new one.
   *
   * @throws ContainerStartException {@code NetworkPluginNotReady} (no network, plugins or {@code
   *     ip} missing) or {@code CreatePodSandboxError}
   */
  Sandbox ensure(StaticPod pod) throws ContainerStartException, InterruptedException {
    if (!validUid(pod.uid())) {
      throw new ContainerStartException(
          CniPodNetwork.SETUP_FAILED,
          "pod "
              + pod.key()
              + " has the uid \""
              + pod.uid()
              + "\", which cannot name a network namespace: use letters, digits, '-', '_' and"
              + " '.' (no '..', at most 128)");
    }
    String name = name(pod.uid());
    Sandbox known = cache.get(pod.uid());
    if (known != null && exists(pod.uid())) {
      return known;
    }
    synchronized (locks.computeIfAbsent(pod.uid(), u -> new Object())) {
      known = cache.get(pod.uid());
      if (known != null && exists(pod.uid())) {
        return known;
      }
      if (known != null) {
        LOG.warn("the network namespace {} of pod {} has gone: making it again", name, pod.key());
        cache.remove(pod.uid());
      }
      Optional<Sandbox> adopted = adopt(pod);
      if (adopted.isPresent()) {
        cache.put(pod.uid(), adopted.get());
        return adopted.get();
      }
      teardown(pod.key(), pod.uid());
      Sandbox made = create(pod);
      cache.put(pod.uid(), made);
      return made;
    }
  }

  /** The namespace an earlier runner made, if it exists and its attachment completed. */
  private Optional<Sandbox> adopt(StaticPod pod) throws InterruptedException {
    String name = name(pod.uid());
    Optional<Attachment> attachment = network.find(name);
    if (!exists(pod.uid())
        || attachment.isEmpty()
        || attachment.get().result().isEmpty()
        || !attachment.get().netns().equals(netnsPath(name))) {
      return Optional.empty();
    }
    try {
      network.check(attachment.get());
    } catch (CniException e) {
      // The pod's processes may run in this namespace: replacing it would cut them off.
      LOG.warn(
          "CNI CHECK of the network namespace {} of pod {} failed: {}; the pod keeps its network"
              + " as it is",
          name,
          pod.key(),
          e.getMessage());
    }
    try {
      writeEtc(pod, attachment.get().podIPs());
    } catch (IOException e) {
      LOG.warn("cannot write the hosts files of pod {}: {}", pod.key(), e.getMessage());
      return Optional.empty();
    }
    LOG.info(
        "adopted the network namespace {} of pod {} with IP {}",
        name,
        pod.key(),
        attachment.get().podIPs());
    return Optional.of(new Sandbox(name, attachment.get().podIPs()));
  }

  private Sandbox create(StaticPod pod) throws ContainerStartException, InterruptedException {
    network.network();
    String ipCommand =
        ip.orElseThrow(
            () ->
                new ContainerStartException(
                    CniPodNetwork.NOT_READY,
                    "network plugin not ready: the process runtime makes pods' network namespaces"
                        + " with \"ip\", which is not installed: install iproute2"));
    String name = name(pod.uid());
    try {
      record(pod.key(), pod.uid());
    } catch (IOException e) {
      throw new ContainerStartException(
          CniPodNetwork.SETUP_FAILED,
          "cannot record the network namespace of pod " + pod.key() + ": " + e.getMessage(),
          e);
    }
    String failure = run(ipCommand, "netns", "add", name);
    if (failure != null) {
      forget(pod.uid());
      throw new ContainerStartException(
          CniPodNetwork.SETUP_FAILED,
          "cannot make the network namespace " + name + " of pod " + pod.key() + ": " + failure);
    }
    try {
      Attachment attachment = network.attach(pod, name, netnsPath(name));
      writeEtc(pod, attachment.podIPs());
      LOG.debug("network namespace {} of pod {}: IPs {}", name, pod.key(), attachment.podIPs());
      return new Sandbox(name, attachment.podIPs());
    } catch (ContainerStartException e) {
      teardown(pod.key(), pod.uid());
      throw e;
    } catch (IOException e) {
      teardown(pod.key(), pod.uid());
      throw new ContainerStartException(
          CniPodNetwork.SETUP_FAILED,
          "cannot write /etc/hosts and resolv.conf of pod " + pod.key() + ": " + e.getMessage(),
          e);
    }
  }

  /** hosts and resolv.conf where {@code ip netns exec} binds them over /etc. */
  private void writeEtc(StaticPod pod, List<String> ips) throws IOException {
    Path dir = etcNetns.resolve(name(pod.uid()));
    PodHostFiles.Written written = hostFiles.write(dir, pod, ips);
    Files.move(
        written.hosts(), dir.resolve("hosts"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Removes the pod's namespace: CNI DEL while it still exists (then the IP is free and the veth
   * gone), the namespace, its /etc files and the record. A failed DEL is kept for the next try.
   */
  void remove(PodKey pod, String podUid) throws InterruptedException {
    if (!validUid(podUid)) {
      return; // never had a namespace
    }
    synchronized (locks.computeIfAbsent(podUid, u -> new Object())) {
      cache.remove(podUid);
      teardown(pod, podUid);
    }
    locks.remove(podUid);
  }

  private void teardown(PodKey pod, String podUid) throws InterruptedException {
    String name = name(podUid);
    boolean alive = exists(podUid);
    Optional<Attachment> attachment = network.find(name);
    if (attachment.isPresent() && !network.detach(attachment.get(), alive)) {
      return;
    }
    if (alive) {
      String failure = run(ip.orElse("ip"), "netns", "del", name);
      if (failure != null) {
        LOG.warn("cannot delete the network namespace {} of pod {}: {}", name, pod, failure);
        return;
      }
    }
    try {
      DirectoryTrees.delete(etcNetns, etcNetns.resolve(name));
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("cannot delete {}: {}", etcNetns.resolve(name), e.getMessage());
    }
    forget(podUid);
  }

  /** The pods with a namespace record or an attachment of one of their namespaces. */
  List<OwnedPod> owned() {
    Set<OwnedPod> pods = new LinkedHashSet<>();
    try (Stream<Path> files = Files.list(records)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        readRecord(f).ifPresent(pods::add);
      }
    } catch (NoSuchFileException e) {
      // None made yet.
    } catch (IOException e) {
      LOG.warn("cannot list {}: {}", records, e.getMessage());
    }
    network.attachments().stream()
        .filter(a -> a.containerId().equals(name(a.podUid())))
        .forEach(a -> pods.add(new OwnedPod(a.pod(), a.podUid())));
    return new ArrayList<>(pods);
  }

  private void record(PodKey pod, String podUid) throws IOException {
    Files.createDirectories(records);
    AtomicWriter.write(
        records.resolve(name(podUid) + ".json"),
        JSON.std
            .asString(Map.of("namespace", pod.namespace(), "name", pod.name(), "uid", podUid))
            .getBytes(StandardCharsets.UTF_8),
        PosixFilePermissions.fromString("rw-------"),
        AtomicWriter.Durability.UNSYNCED);
  }

  private Optional<OwnedPod> readRecord(Path file) {
    try {
      Map<String, Object> m = JSON.std.mapFrom(Files.readString(file, StandardCharsets.UTF_8));
      return Optional.of(
          new OwnedPod(
              new PodKey((String) m.get("namespace"), (String) m.get("name")),
              (String) m.get("uid")));
    } catch (IOException | RuntimeException e) {
      LOG.warn("unreadable network namespace record {}: {}", file, e.getMessage());
      return Optional.empty();
    }
  }

  private void forget(String podUid) {
    try {
      Files.deleteIfExists(records.resolve(name(podUid) + ".json"));
    } catch (IOException e) {
      LOG.warn("cannot remove the record of {}: {}", name(podUid), e.getMessage());
    }
  }

  private String netnsPath(String name) {
    return runNetns.resolve(name).toString();
  }

  /** Runs an ip command; null on success, else what went wrong. */
  private static String run(String... command) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(IP_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)) {
        p.destroyForcibly();
        return String.join(" ", command) + " did not finish within " + IP_TIMEOUT.toSeconds() + "s";
      }
      return p.exitValue() == 0
          ? null
          : String.join(" ", command)
              + " exited with "
              + p.exitValue()
              + ": "
              + new String(out, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "cannot run " + command[0] + ": " + e.getMessage();
    }
  }
}
