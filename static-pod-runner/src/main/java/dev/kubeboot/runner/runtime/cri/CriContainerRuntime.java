package dev.kubeboot.runner.runtime.cri;

import dev.kubeboot.runner.network.CniPodNetwork;
import dev.kubeboot.runner.network.EtcHosts;
import dev.kubeboot.runner.network.PodDns;
import dev.kubeboot.runner.network.PodHostFiles;
import dev.kubeboot.runner.network.PortMapping;
import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.runtime.ContainedPath;
import dev.kubeboot.runner.runtime.ContainerConfigHash;
import dev.kubeboot.runner.runtime.ContainerHandle;
import dev.kubeboot.runner.runtime.ContainerRuntime;
import dev.kubeboot.runner.runtime.ContainerStartException;
import dev.kubeboot.runner.runtime.EngineMounts;
import dev.kubeboot.runner.runtime.EngineResources;
import dev.kubeboot.runner.runtime.EngineStarts;
import dev.kubeboot.runner.runtime.ExecResult;
import dev.kubeboot.runner.runtime.ExitStatus;
import dev.kubeboot.runner.runtime.LogFiles;
import dev.kubeboot.runner.runtime.LogQuery;
import dev.kubeboot.runner.runtime.LogRotator;
import dev.kubeboot.runner.runtime.OwnedPod;
import dev.kubeboot.runner.runtime.Quantities;
import dev.kubeboot.runner.runtime.VariableExpansion;
import dev.kubeboot.runner.runtime.cri.v1.Cri;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs static pods in a CRI runtime (containerd, CRI-O) over the kubelet's own API, gRPC {@code
 * runtime.v1}, so {@code crictl pods}/{@code ctr -n k8s.io containers ls} on a kubeboot node read
 * like a kubelet node.
 *
 * <ul>
 *   <li>One pod sandbox per static pod (per uid). A hostNetwork pod's sandbox has network NODE; any
 *       other pod's has network POD: the runtime gives it an IP through its own CNI setup (the pod
 *       IP comes from PodSandboxStatus), with the pod's hostPorts as port mappings, its host name
 *       and its DNS settings (the node's resolv.conf, then {@code dnsConfig}, as the kubelet
 *       computes them); its containers mount the pod's {@code etc-hosts}. Before such a sandbox is
 *       made the runtime's NetworkReady condition is checked ({@link CriPodNetwork}); with a pod
 *       CIDR kubeboot first writes its bridge network into the runtime's CNI conf dir. Sandbox
 *       metadata {name, uid, namespace, attempt} and labels {@code io.kubernetes.pod.name|
 *       namespace|uid} as the kubelet sets them, cgroup parent {@code <cgroupRoot>/pod<uid>}.
 *   <li>Containers: metadata {name, attempt}, labels {@code io.kubernetes.pod.*}, {@code
 *       io.kubernetes.container.name}, annotations {@code io.kubernetes.container.hash} (our {@link
 *       ContainerConfigHash}), {@code ...restartCount}, {@code ...terminationGracePeriod}; command,
 *       args (with {@code $(VAR)} expanded), env, workingDir, hostPath/emptyDir mounts, privileged,
 *       runAsUser/runAsGroup, cpu/memory limits and the cpu request. Logs in the kubelet's layout
 *       {@code /var/log/pods/<ns>_<pod>_<uid>/<container>/<attempt>.log}, written by the runtime in
 *       the CRI log format.
 *   <li>Sandboxes and containers carry the ownership label {@code dev.kubeboot.managed=true}:
 *       listing, adoption and clean-up only ever touch what carries it.
 *   <li>Exits come from the runtime's events ({@link ExitEvents}: the CRI's GetContainerEvents, or
 *       containerd's own {@code /tasks/exit}), with polling ({@link ExitPoller}, one ListContainers
 *       per tick) as the safety net and the fallback. Stop is StopContainer with the grace period
 *       in whole seconds (the API's unit); exec is ExecSync.
 *   <li>imagePullPolicy: ImageStatus, then PullImage when the policy asks, bounded by the pull
 *       timeout; a failure is ErrImagePull with the runtime's message, a missing image under Never
 *       is ErrImageNeverPull.
 *   <li>Dead containers: when a container starts again, its newest dead attempt is kept (for {@code
 *       logs --previous}) and older ones removed; {@link #removePod} removes the pod's sandbox with
 *       its containers and the cgroup runc leaves behind. Log files stay.
 * </ul>
 */
public final class CriContainerRuntime implements ContainerRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(CriContainerRuntime.class);

  static final int EXEC_OUTPUT_LIMIT = 10 * 1024;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  private final CriRuntimeOptions options;
  private final CriClient client;
  private String version = "";
  private final EngineMounts mounts;
  private final PodCgroups cgroups;
  private final ExitPoller poller;
  private final ExitEvents events;
  private final ConcurrentMap<String, Sandbox> sandboxes = new ConcurrentHashMap<>();
  private final Object sandboxLock = new Object();
  private final CriPodNetwork network;
  private final PodHostFiles hostFiles = new PodHostFiles(PodHostFiles.HOST_RESOLV_CONF);

  /**
   * A pod's sandbox and the config it was made with (CreateContainer wants it again).
   *
   * @param ips the pod's IPs; empty on the host network
   * @param hosts the pod's etc-hosts, for its containers' /etc/hosts; empty on the host network
   */
  private record Sandbox(
      String id, Cri.PodSandboxConfig config, List<String> ips, Optional<Path> hosts) {}

  /**
   * Connects to the runtime and checks that it serves CRI {@code runtime.v1}.
   *
   * @throws IllegalStateException no socket at the endpoint, nothing answers there, or what answers
   *     is not a CRI runtime
   */
  public CriContainerRuntime(CriRuntimeOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    String endpoint = options.endpoint();
    CriClient.target(endpoint);
    if (!CriClient.socketExists(endpoint)) {
      throw new IllegalStateException(
          "no CRI socket at "
              + endpoint
              + ": start containerd (with its CRI plugin) or CRI-O, pass"
              + " --container-runtime-endpoint, or use --container-runtime docker|process");
    }
    this.client = new CriClient(endpoint, options.callTimeout());
    try {
      Cri.VersionResponse v = client.version(CONNECT_TIMEOUT);
      this.version = v.getRuntimeName() + "://" + v.getRuntimeVersion();
      LOG.info(
          "CRI runtime at {}: {} {} (API {})",
          endpoint,
          v.getRuntimeName(),
          v.getRuntimeVersion(),
          v.getRuntimeApiVersion());
    } catch (StatusRuntimeException e) {
      client.close();
      if (CriClient.is(e, Status.Code.UNIMPLEMENTED)) {
        throw new IllegalStateException(
            "the socket "
                + endpoint
                + " answers but does not serve the CRI runtime.v1 API ("
                + CriClient.message(e)
                + "): is the CRI plugin of containerd disabled (Docker's own containerd has it"
                + " off)? Point --container-runtime-endpoint at a containerd with the CRI plugin",
            e);
      }
      throw new IllegalStateException(
          "no CRI runtime answers at "
              + endpoint
              + " ("
              + CriClient.message(e)
              + "): check that containerd or CRI-O runs and listens there",
          e);
    }
    try {
      checkCgroupDriver(
          options.cgroupDriver(),
          client
              .runtime()
              .status(Cri.StatusRequest.newBuilder().setVerbose(true).build())
              .getInfoMap(),
          endpoint);
    } catch (StatusRuntimeException e) {
      LOG.debug("CRI Status of {}: {}", endpoint, CriClient.message(e));
    } catch (IllegalStateException e) {
      client.close();
      throw e;
    }
    this.mounts = new EngineMounts(options.stateDir(), "cri");
    this.cgroups =
        new PodCgroups(Path.of("/sys/fs/cgroup"), options.cgroupRoot(), options.cgroupDriver());
    this.poller = new ExitPoller(client, options.pollInterval(), options.clock());
    this.events = new ExitEvents(client, poller, options.clock());
    this.network = new CriPodNetwork(client, options.network());
    poller.start();
    events.start();
  }

  /**
   * Refuses a runtime whose cgroup driver is not {@code wanted}: the kubelet's cgroupDriver and
   * containerd's runc option {@code SystemdCgroup} must agree, or containers would be put in
   * cgroups the pod's limits and clean-up never see. The runtime's driver is read from the CRI
   * config containerd reports in Status's verbose info; a runtime that reports none (CRI-O) is
   * trusted.
   *
   * @throws IllegalStateException the two differ: the message names both settings
   */
  static void checkCgroupDriver(CgroupDriver wanted, Map<String, String> info, String endpoint) {
    Optional<RuntimeCgroupDriver> actual = RuntimeCgroupDriver.from(info);
    if (actual.isEmpty()) {
      LOG.debug("the CRI runtime at {} reports no cgroup driver: not checked", endpoint);
      return;
    }
    if (actual.get().driver() == wanted) {
      return;
    }
    RuntimeCgroupDriver runtime = actual.get();
    throw new IllegalStateException(
        "cgroupDriver is "
            + wanted.value()
            + " but the container runtime at "
            + endpoint
            + " uses "
            + runtime.driver().value()
            + " ("
            + runtime.setting()
            + "): make them agree, either set "
            + runtime.fix(wanted)
            + " in containerd's config and restart containerd, or set cgroupDriver: "
            + runtime.driver().value()
            + " in the KubeletConfiguration (--cgroup-driver "
            + runtime.driver().value()
            + ")");
  }

  /**
   * Whether a CRI runtime answers Version at {@code endpoint} within two seconds: what {@code
   * --container-runtime auto} asks.
   */
  public static boolean available(String endpoint) {
    try {
      if (!CriClient.socketExists(endpoint)) {
        return false;
      }
    } catch (IllegalArgumentException notUnix) {
      return false;
    }
    try (CriClient probe = new CriClient(endpoint, PROBE_TIMEOUT)) {
      return !probe.version(PROBE_TIMEOUT).getRuntimeApiVersion().isEmpty();
    } catch (StatusRuntimeException e) {
      LOG.debug("no CRI runtime at {}: {}", endpoint, CriClient.message(e));
      return false;
    }
  }

  @Override
  public String name() {
    return "cri";
  }

  /** Where exits come from (the source being tried while none has answered yet). */
  ExitEvents.Source exitEventSource() {
    return events.source();
  }

  /** A pod with its own network gets its sandbox here; a hostNetwork pod's is made at start. */
  @Override
  public List<String> preparePod(StaticPod pod)
      throws ContainerStartException, InterruptedException {
    return pod.spec().hostNetwork() ? List.of() : sandbox(pod).ips();
  }

  @Override
  public List<String> podIPs(String podUid) {
    Sandbox s = sandboxes.get(podUid);
    return s == null ? List.of() : s.ips();
  }

  @Override
  public List<OwnedPod> listOwnedPods() {
    List<OwnedPod> pods = new ArrayList<>();
    for (Cri.PodSandbox s :
        client
            .runtime()
            .listPodSandbox(
                Cri.ListPodSandboxRequest.newBuilder()
                    .setFilter(
                        Cri.PodSandboxFilter.newBuilder()
                            .putLabelSelector(CriLabels.MANAGED, "true"))
                    .build())
            .getItemsList()) {
      Map<String, String> l = s.getLabelsMap();
      if (l.containsKey(CriLabels.POD_NAME)
          && l.containsKey(CriLabels.POD_NAMESPACE)
          && l.containsKey(CriLabels.POD_UID)) {
        OwnedPod p =
            new OwnedPod(
                new PodKey(l.get(CriLabels.POD_NAMESPACE), l.get(CriLabels.POD_NAME)),
                l.get(CriLabels.POD_UID));
        if (!pods.contains(p)) {
          pods.add(p);
        }
      }
    }
    return pods;
  }

  @Override
  public ContainerHandle start(StaticPod pod, Container container, int attempt)
      throws ContainerStartException, InterruptedException {
    ensureImage(pod, container);
    List<Cri.Mount> podMounts =
        new ArrayList<>(
            mounts.prepare(pod, container).stream()
                .map(
                    m ->
                        Cri.Mount.newBuilder()
                            .setContainerPath(m.containerPath())
                            .setHostPath(m.hostPath())
                            .setReadonly(m.readOnly())
                            .build())
                .toList());
    Cri.LinuxContainerResources resources = resources(pod, container);
    String configHash = ContainerConfigHash.of(pod, container);
    Sandbox sandbox = sandbox(pod);
    if (sandbox.hosts().isPresent()
        && container.volumeMounts().stream().noneMatch(m -> m.mountPath().equals("/etc/hosts"))) {
      podMounts.add(
          Cri.Mount.newBuilder()
              .setContainerPath("/etc/hosts")
              .setHostPath(sandbox.hosts().get().toString())
              .build());
    }
    pruneDead(pod.uid(), container.name(), attempt);
    Cri.ContainerConfig config =
        containerConfig(pod, container, attempt, podMounts, resources, configHash, sandbox.ips());
    long creating = System.nanoTime();
    String id;
    try {
      id = create(sandbox, config);
    } catch (StatusRuntimeException e) {
      if (!CriClient.is(e, Status.Code.NOT_FOUND)) {
        throw createError(pod, container, e);
      }
      // The sandbox went away behind our back (removed by hand, runtime state lost): make a new
      // one, whose IP the container's status.podIP then is.
      sandboxes.remove(pod.uid());
      Sandbox again = sandbox(pod);
      try {
        id =
            create(
                again,
                containerConfig(
                    pod, container, attempt, podMounts, resources, configHash, again.ips()));
      } catch (StatusRuntimeException failedAgain) {
        throw createError(pod, container, failedAgain);
      }
    }
    long starting = System.nanoTime();
    try {
      client
          .runtime()
          .startContainer(Cri.StartContainerRequest.newBuilder().setContainerId(id).build());
    } catch (StatusRuntimeException e) {
      removeQuietly(id);
      throw EngineStarts.startFailed(pod, container, CriClient.message(e), e);
    }
    long started = System.nanoTime();
    poller.watch(id);
    Instant startedAt = startedAt(id).orElseGet(() -> options.clock().instant());
    LOG.debug(
        "started {} container {} attempt {} as {} (CreateContainer {} ms, StartContainer {} ms)",
        pod.key(),
        container.name(),
        attempt,
        id,
        Duration.ofNanos(starting - creating).toMillis(),
        Duration.ofNanos(started - starting).toMillis());
    return new ContainerHandle(
        id, pod.key(), pod.uid(), container.name(), attempt, startedAt, configHash);
  }

  private String create(Sandbox sandbox, Cri.ContainerConfig config) {
    return client
        .runtime()
        .createContainer(
            Cri.CreateContainerRequest.newBuilder()
                .setPodSandboxId(sandbox.id())
                .setConfig(config)
                .setSandboxConfig(sandbox.config())
                .build())
        .getContainerId();
  }

  private static ContainerStartException createError(
      StaticPod pod, Container container, StatusRuntimeException e) {
    return EngineStarts.createFailed(pod, container, CriClient.message(e), e);
  }

  private Cri.ContainerConfig containerConfig(
      StaticPod pod,
      Container container,
      int attempt,
      List<Cri.Mount> podMounts,
      Cri.LinuxContainerResources resources,
      String configHash,
      List<String> podIPs) {
    Map<String, String> env = VariableExpansion.resolveEnv(container.env(), podIPs);
    Cri.LinuxContainerSecurityContext.Builder security =
        Cri.LinuxContainerSecurityContext.newBuilder()
            .setPrivileged(container.securityContext().privileged())
            .setNamespaceOptions(namespaces(pod));
    container
        .securityContext()
        .runAsUser()
        .ifPresent(uid -> security.setRunAsUser(Cri.Int64Value.newBuilder().setValue(uid)));
    container
        .securityContext()
        .runAsGroup()
        .ifPresent(gid -> security.setRunAsGroup(Cri.Int64Value.newBuilder().setValue(gid)));
    Cri.ContainerConfig.Builder config =
        Cri.ContainerConfig.newBuilder()
            .setMetadata(
                Cri.ContainerMetadata.newBuilder().setName(container.name()).setAttempt(attempt))
            .setImage(Cri.ImageSpec.newBuilder().setImage(container.image()))
            .addAllCommand(
                container.command().stream().map(w -> VariableExpansion.expand(w, env)).toList())
            .addAllArgs(
                container.args().stream().map(w -> VariableExpansion.expand(w, env)).toList())
            .setWorkingDir(container.workingDir().orElse(""))
            .addAllMounts(podMounts)
            .putLabels(CriLabels.POD_NAME, pod.key().name())
            .putLabels(CriLabels.POD_NAMESPACE, pod.key().namespace())
            .putLabels(CriLabels.POD_UID, pod.uid())
            .putLabels(CriLabels.CONTAINER_NAME, container.name())
            .putLabels(CriLabels.MANAGED, "true")
            .putAnnotations(CriLabels.CONTAINER_HASH, configHash)
            .putAnnotations(CriLabels.RESTART_COUNT, Integer.toString(attempt))
            .putAnnotations(
                CriLabels.GRACE_PERIOD,
                Long.toString(pod.spec().terminationGracePeriod().toSeconds()))
            .setLogPath(container.name() + "/" + attempt + ".log")
            .setLinux(
                Cri.LinuxContainerConfig.newBuilder()
                    .setResources(resources)
                    .setSecurityContext(security));
    env.forEach((k, v) -> config.addEnvs(Cri.KeyValue.newBuilder().setKey(k).setValue(v)));
    return config.build();
  }

  /**
   * The node's network for a hostNetwork pod, else the pod's own; IPC per pod, a pid namespace per
   * container: the kubelet's choice.
   */
  private static Cri.NamespaceOption namespaces(StaticPod pod) {
    return Cri.NamespaceOption.newBuilder()
        .setNetwork(pod.spec().hostNetwork() ? Cri.NamespaceMode.NODE : Cri.NamespaceMode.POD)
        .setPid(Cri.NamespaceMode.CONTAINER)
        .setIpc(Cri.NamespaceMode.POD)
        .build();
  }

  private static Cri.LinuxContainerResources resources(StaticPod pod, Container container)
      throws ContainerStartException {
    EngineResources settings = EngineResources.of(pod, container);
    Cri.LinuxContainerResources.Builder r = Cri.LinuxContainerResources.newBuilder();
    settings
        .cpuQuotaMicros()
        .ifPresent(quota -> r.setCpuPeriod(Quantities.CPU_PERIOD_US).setCpuQuota(quota));
    settings.memoryLimitBytes().ifPresent(r::setMemoryLimitInBytes);
    settings.cpuShares().ifPresent(r::setCpuShares);
    return r.build();
  }

  /** The pod's ready sandbox: cached, else found by label, else made. */
  private Sandbox sandbox(StaticPod pod) throws ContainerStartException, InterruptedException {
    Sandbox cached = sandboxes.get(pod.uid());
    if (cached != null) {
      return cached;
    }
    try {
      podLogDir(pod.key(), pod.uid());
    } catch (IllegalArgumentException e) {
      throw new ContainerStartException("CreateContainerConfigError", e.getMessage(), e);
    }
    synchronized (sandboxLock) {
      cached = sandboxes.get(pod.uid());
      if (cached != null) {
        return cached;
      }
      try {
        List<Cri.PodSandbox> existing = sandboxesOf(pod.uid());
        Optional<Cri.PodSandbox> ready =
            existing.stream()
                .filter(s -> s.getState() == Cri.PodSandboxState.SANDBOX_READY)
                .findFirst();
        Sandbox sandbox;
        if (ready.isPresent()) {
          Cri.PodSandboxConfig config = sandboxConfig(pod, ready.get().getMetadata().getAttempt());
          List<String> ips = pod.spec().hostNetwork() ? List.of() : ips(ready.get().getId());
          sandbox =
              new Sandbox(
                  ready.get().getId(), config, ips, hostsFile(pod, ips, ready.get().getId()));
          if (!ips.isEmpty()) {
            LOG.info("adopted the sandbox {} of pod {} with IP {}", sandbox.id(), pod.key(), ips);
          }
        } else {
          int attempt =
              existing.stream().mapToInt(s -> s.getMetadata().getAttempt() + 1).max().orElse(0);
          for (Cri.PodSandbox dead : existing) {
            removeSandbox(dead.getId());
          }
          sandbox = runSandbox(pod, attempt);
        }
        sandboxes.put(pod.uid(), sandbox);
        return sandbox;
      } catch (StatusRuntimeException e) {
        throw new ContainerStartException(
            pod.spec().hostNetwork() ? "CreateContainerError" : CniPodNetwork.SETUP_FAILED,
            "cannot run the pod sandbox of "
                + pod.key()
                + " at "
                + options.endpoint()
                + ": "
                + CriClient.message(e),
            e);
      }
    }
  }

  private Sandbox runSandbox(StaticPod pod, int attempt)
      throws ContainerStartException, InterruptedException {
    if (!pod.spec().hostNetwork()) {
      network.awaitReady();
    }
    Cri.PodSandboxConfig config = sandboxConfig(pod, attempt);
    try {
      Files.createDirectories(Path.of(config.getLogDirectory()));
    } catch (IOException e) {
      throw new ContainerStartException(
          "CreateContainerConfigError",
          "cannot create the log directory "
              + config.getLogDirectory()
              + " of pod "
              + pod.key()
              + ": "
              + e.getMessage(),
          e);
    }
    long began = System.nanoTime();
    String id =
        client
            .runtime(options.callTimeout().multipliedBy(2))
            .runPodSandbox(Cri.RunPodSandboxRequest.newBuilder().setConfig(config).build())
            .getPodSandboxId();
    LOG.debug(
        "ran sandbox {} of {} (attempt {}) in {} ms",
        id,
        pod.key(),
        attempt,
        Duration.ofNanos(System.nanoTime() - began).toMillis());
    if (pod.spec().hostNetwork()) {
      return new Sandbox(id, config, List.of(), Optional.empty());
    }
    List<String> ips = ips(id);
    if (ips.isEmpty()) {
      removeSandbox(id);
      throw new ContainerStartException(
          CniPodNetwork.SETUP_FAILED,
          "the runtime at "
              + options.endpoint()
              + " gave the sandbox of pod "
              + pod.key()
              + " no IP: check its CNI configuration");
    }
    return new Sandbox(id, config, ips, hostsFile(pod, ips, id));
  }

  /** The sandbox's IPs from PodSandboxStatus, primary first. */
  private List<String> ips(String sandboxId) {
    Cri.PodSandboxNetworkStatus net =
        client
            .runtime()
            .podSandboxStatus(
                Cri.PodSandboxStatusRequest.newBuilder().setPodSandboxId(sandboxId).build())
            .getStatus()
            .getNetwork();
    List<String> ips = new ArrayList<>();
    if (!net.getIp().isEmpty()) {
      ips.add(net.getIp());
    }
    net.getAdditionalIpsList().forEach(ip -> ips.add(ip.getIp()));
    return List.copyOf(ips);
  }

  /** Writes the pod's etc-hosts with its IPs (none for a hostNetwork pod). */
  private Optional<Path> hostsFile(StaticPod pod, List<String> ips, String sandboxId)
      throws ContainerStartException {
    if (pod.spec().hostNetwork()) {
      return Optional.empty();
    }
    try {
      return Optional.of(hostFiles.writeHosts(mounts.podDir(pod.key(), pod.uid()), pod, ips));
    } catch (IOException e) {
      removeSandbox(sandboxId);
      throw new ContainerStartException(
          CniPodNetwork.SETUP_FAILED,
          "cannot write the hosts file of pod " + pod.key() + ": " + e.getMessage(),
          e);
    }
  }

  private Cri.PodSandboxConfig sandboxConfig(StaticPod pod, int attempt)
      throws ContainerStartException {
    boolean privileged =
        Stream.concat(pod.spec().initContainers().stream(), pod.spec().containers().stream())
            .anyMatch(c -> c.securityContext().privileged());
    Cri.PodSandboxConfig.Builder b = Cri.PodSandboxConfig.newBuilder();
    if (!pod.spec().hostNetwork()) {
      b.setHostname(EtcHosts.hostname(pod));
      try {
        PodDns dns = hostFiles.dns(pod);
        b.setDnsConfig(
            Cri.DNSConfig.newBuilder()
                .addAllServers(dns.servers())
                .addAllSearches(dns.searches())
                .addAllOptions(dns.options()));
      } catch (IOException e) {
        throw new ContainerStartException(
            "CreateContainerConfigError",
            "cannot read the node's resolv.conf for pod " + pod.key() + ": " + e.getMessage(),
            e);
      }
      for (PortMapping p : PortMapping.of(pod)) {
        b.addPortMappings(
            Cri.PortMapping.newBuilder()
                .setProtocol(Cri.Protocol.valueOf(p.protocol()))
                .setContainerPort(p.containerPort())
                .setHostPort(p.hostPort())
                .setHostIp(p.hostIP()));
      }
    }
    return b.setMetadata(
            Cri.PodSandboxMetadata.newBuilder()
                .setName(pod.key().name())
                .setNamespace(pod.key().namespace())
                .setUid(pod.uid())
                .setAttempt(attempt))
        .setLogDirectory(podLogDir(pod.key(), pod.uid()).toString())
        .putAllLabels(pod.labels())
        .putLabels(CriLabels.POD_NAME, pod.key().name())
        .putLabels(CriLabels.POD_NAMESPACE, pod.key().namespace())
        .putLabels(CriLabels.POD_UID, pod.uid())
        .putLabels(CriLabels.MANAGED, "true")
        .putAllAnnotations(pod.annotations())
        .setLinux(
            Cri.LinuxPodSandboxConfig.newBuilder()
                .setCgroupParent(cgroups.parentOf(pod.uid()))
                .setSecurityContext(
                    Cri.LinuxSandboxSecurityContext.newBuilder()
                        .setNamespaceOptions(namespaces(pod))
                        .setPrivileged(privileged)))
        .build();
  }

  /**
   * @throws IllegalArgumentException a name or the uid would lead outside the pod logs dir
   */
  private Path podLogDir(PodKey pod, String podUid) {
    return ContainedPath.podDir(options.podLogsDir(), pod, podUid);
  }

  private List<Cri.PodSandbox> sandboxesOf(String podUid) {
    return client
        .runtime()
        .listPodSandbox(
            Cri.ListPodSandboxRequest.newBuilder()
                .setFilter(
                    Cri.PodSandboxFilter.newBuilder()
                        .putLabelSelector(CriLabels.MANAGED, "true")
                        .putLabelSelector(CriLabels.POD_UID, podUid))
                .build())
        .getItemsList();
  }

  private void removeSandbox(String id) {
    client
        .runtime()
        .stopPodSandbox(Cri.StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build());
    client
        .runtime()
        .removePodSandbox(Cri.RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build());
  }

  private List<Cri.Container> containers(
      Map<String, String> labels, Optional<Cri.ContainerState> state) {
    Cri.ContainerFilter.Builder filter =
        Cri.ContainerFilter.newBuilder()
            .putLabelSelector(CriLabels.MANAGED, "true")
            .putAllLabelSelector(labels);
    state.ifPresent(s -> filter.setState(Cri.ContainerStateValue.newBuilder().setState(s)));
    return client
        .runtime()
        .listContainers(Cri.ListContainersRequest.newBuilder().setFilter(filter).build())
        .getContainersList();
  }

  private void ensureImage(StaticPod pod, Container container)
      throws ContainerStartException, InterruptedException {
    String image = container.image();
    boolean present;
    try {
      present =
          client
              .images(options.callTimeout())
              .imageStatus(
                  Cri.ImageStatusRequest.newBuilder()
                      .setImage(Cri.ImageSpec.newBuilder().setImage(image))
                      .build())
              .hasImage();
    } catch (StatusRuntimeException e) {
      throw new ContainerStartException(
          "ErrImagePull", "cannot look up image \"" + image + "\": " + CriClient.message(e), e);
    }
    EngineStarts.ensure(
        pod,
        container,
        present,
        "import it into the runtime (ctr -n k8s.io images import)",
        this::pull);
  }

  @Override
  public void pullImage(String image) throws ContainerStartException, InterruptedException {
    EngineStarts.pull(image, this::pull);
  }

  private void pull(String image, String what) throws ContainerStartException {
    try {
      client
          .images(options.pullTimeout())
          .pullImage(
              Cri.PullImageRequest.newBuilder()
                  .setImage(Cri.ImageSpec.newBuilder().setImage(image))
                  .build());
      LOG.info("pulled image {}", image);
    } catch (StatusRuntimeException e) {
      String why =
          CriClient.is(e, Status.Code.DEADLINE_EXCEEDED)
              ? "no answer within " + options.pullTimeout()
              : CriClient.message(e);
      throw new ContainerStartException("ErrImagePull", what + why, e);
    }
  }

  /**
   * Removes dead attempts of a container except the newest one (kept for {@code logs --previous}),
   * and any leftover holding the attempt about to be used (the runtime reserves the name).
   */
  private void pruneDead(String podUid, String containerName, int attempt) {
    List<Cri.Container> dead;
    try {
      dead =
          containers(
                  Map.of(CriLabels.POD_UID, podUid, CriLabels.CONTAINER_NAME, containerName),
                  Optional.empty())
              .stream()
              .filter(c -> c.getState() != Cri.ContainerState.CONTAINER_RUNNING)
              .sorted(
                  Comparator.comparingInt((Cri.Container c) -> c.getMetadata().getAttempt())
                      .reversed())
              .toList();
    } catch (StatusRuntimeException e) {
      LOG.warn("cannot list dead containers of {}: {}", containerName, CriClient.message(e));
      return;
    }
    boolean keptOne = false;
    for (Cri.Container c : dead) {
      boolean sameAttempt = c.getMetadata().getAttempt() == attempt;
      if (!keptOne && !sameAttempt && c.getState() == Cri.ContainerState.CONTAINER_EXITED) {
        keptOne = true;
        continue;
      }
      poller.forget(c.getId());
      removeQuietly(c.getId());
    }
  }

  private void removeQuietly(String id) {
    try {
      client
          .runtime()
          .removeContainer(Cri.RemoveContainerRequest.newBuilder().setContainerId(id).build());
    } catch (StatusRuntimeException e) {
      if (!CriClient.is(e, Status.Code.NOT_FOUND)) {
        LOG.warn("cannot remove container {}: {}", id, CriClient.message(e));
      }
    }
  }

  private Optional<Instant> startedAt(String id) {
    try {
      long nanos =
          client
              .runtime()
              .containerStatus(Cri.ContainerStatusRequest.newBuilder().setContainerId(id).build())
              .getStatus()
              .getStartedAt();
      return nanos > 0 ? Optional.of(ExitPoller.nanosToInstant(nanos)) : Optional.empty();
    } catch (StatusRuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public CompletionStage<ExitStatus> onExit(ContainerHandle container) {
    return poller.watch(container.id()).minimalCompletionStage();
  }

  @Override
  public void stop(ContainerHandle container, Duration gracePeriod) throws InterruptedException {
    CompletableFuture<ExitStatus> exit = poller.watch(container.id());
    if (exit.isDone()) {
      return;
    }
    long seconds = Math.max(0, (gracePeriod.toMillis() + 999) / 1000);
    try {
      client
          .runtime(gracePeriod.plus(options.callTimeout()))
          .stopContainer(
              Cri.StopContainerRequest.newBuilder()
                  .setContainerId(container.id())
                  .setTimeout(seconds)
                  .build());
    } catch (StatusRuntimeException e) {
      if (CriClient.is(e, Status.Code.NOT_FOUND)) {
        exit.complete(new ExitStatus(-1, "Unknown", options.clock().instant()));
        return;
      }
      LOG.warn(
          "StopContainer {} ({} of {}) failed: {}; killing it",
          container.id(),
          container.containerName(),
          container.pod(),
          CriClient.message(e));
      try {
        client
            .runtime()
            .stopContainer(
                Cri.StopContainerRequest.newBuilder()
                    .setContainerId(container.id())
                    .setTimeout(0)
                    .build());
      } catch (StatusRuntimeException killFailed) {
        LOG.warn("killing container {} failed: {}", container.id(), CriClient.message(killFailed));
      }
    }
    // StopContainer returns once the container is dead: report it now rather than at the next tick.
    try {
      poller.checkNow(container.id());
    } catch (StatusRuntimeException e) {
      LOG.debug("status of stopped container {}: {}", container.id(), CriClient.message(e));
    }
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted while stopping container " + container.id());
    }
  }

  @Override
  public ExecResult exec(ContainerHandle container, List<String> command, Duration timeout)
      throws InterruptedException {
    if (command.isEmpty()) {
      return new ExecResult(-1, "exec: empty command", false);
    }
    long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
    long began = System.nanoTime();
    try {
      Cri.ExecSyncResponse r =
          client
              .runtime(timeout.plus(options.callTimeout()))
              .execSync(
                  Cri.ExecSyncRequest.newBuilder()
                      .setContainerId(container.id())
                      .addAllCmd(command)
                      .setTimeout(seconds)
                      .build());
      byte[] out = r.getStdout().concat(r.getStderr()).toByteArray();
      String text =
          new String(out, 0, Math.min(out.length, EXEC_OUTPUT_LIMIT), StandardCharsets.UTF_8);
      return new ExecResult(r.getExitCode(), text, false);
    } catch (StatusRuntimeException e) {
      // The runtime ends a command that overruns its timeout and answers with an error.
      boolean timedOut = Duration.ofNanos(System.nanoTime() - began).compareTo(timeout) >= 0;
      return new ExecResult(
          timedOut ? 137 : -1,
          "exec in container \""
              + container.containerName()
              + "\" of pod "
              + container.pod()
              + ": "
              + CriClient.message(e),
          timedOut);
    }
  }

  @Override
  public List<ContainerHandle> listOwned() throws InterruptedException {
    List<ContainerHandle> owned = new ArrayList<>();
    for (Cri.Container c :
        containers(Map.of(), Optional.of(Cri.ContainerState.CONTAINER_RUNNING))) {
      Map<String, String> labels = c.getLabelsMap();
      String pod = labels.get(CriLabels.POD_NAME);
      String namespace = labels.get(CriLabels.POD_NAMESPACE);
      String uid = labels.get(CriLabels.POD_UID);
      String name = labels.get(CriLabels.CONTAINER_NAME);
      if (pod == null || namespace == null || uid == null || name == null) {
        LOG.warn(
            "container {} carries {}=true but not the kubelet labels; ignored",
            c.getId(),
            CriLabels.MANAGED);
        continue;
      }
      Instant startedAt =
          startedAt(c.getId()).orElseGet(() -> ExitPoller.nanosToInstant(c.getCreatedAt()));
      poller.watch(c.getId());
      owned.add(
          new ContainerHandle(
              c.getId(),
              new PodKey(namespace, pod),
              uid,
              name,
              c.getMetadata().getAttempt(),
              startedAt,
              c.getAnnotationsMap().getOrDefault(CriLabels.CONTAINER_HASH, "")));
    }
    owned.sort(ContainerHandle.BY_POD_CONTAINER_ATTEMPT);
    return owned;
  }

  @Override
  public void removePod(PodKey pod, String podUid) throws InterruptedException {
    List<Cri.Container> containers;
    List<Cri.PodSandbox> podSandboxes;
    try {
      containers = containers(Map.of(CriLabels.POD_UID, podUid), Optional.empty());
      podSandboxes = sandboxesOf(podUid);
    } catch (StatusRuntimeException e) {
      LOG.warn(
          "removePod {}: cannot list its sandbox and containers: {}", pod, CriClient.message(e));
      return;
    }
    List<Cri.Container> running =
        containers.stream()
            .filter(c -> c.getState() == Cri.ContainerState.CONTAINER_RUNNING)
            .toList();
    if (!running.isEmpty()) {
      LOG.warn(
          "removePod {}: {} container(s) still run ({}); sandbox left in place",
          pod,
          running.size(),
          running.stream().map(Cri.Container::getId).toList());
      return;
    }
    sandboxes.remove(podUid);
    for (Cri.Container c : containers) {
      poller.forget(c.getId());
      removeQuietly(c.getId());
    }
    for (Cri.PodSandbox s : podSandboxes) {
      try {
        removeSandbox(s.getId());
      } catch (StatusRuntimeException e) {
        LOG.warn(
            "removePod {}: cannot remove sandbox {}: {}", pod, s.getId(), CriClient.message(e));
      }
    }
    cgroups.remove(podUid);
    try {
      mounts.deletePodDir(pod, podUid);
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("removePod {}: cannot delete its directory: {}", pod, e.getMessage());
    }
  }

  /**
   * The kubelet's log file of a container: {@code
   * <podLogsDir>/<ns>_<pod>_<uid>/<name>/<attempt>.log}.
   */
  @Override
  public String version() {
    return version;
  }

  @Override
  public Optional<Path> logPath(ContainerHandle container) {
    try {
      return Optional.of(
          ContainedPath.under(
              podLogDir(container.pod(), container.podUid()),
              container.containerName(),
              container.attempt() + ".log"));
    } catch (IllegalArgumentException e) {
      LOG.warn("no log path for {}: {}", container, e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Rotates each running container's log as the kubelet does: renamed, then {@code
   * ReopenContainerLog} makes the runtime write a new file at the old name, so nothing is lost.
   */
  @Override
  public void rotateLogs(LogRotator rotator) throws IOException {
    List<Cri.Container> running;
    try {
      running = containers(Map.of(), Optional.of(Cri.ContainerState.CONTAINER_RUNNING));
    } catch (StatusRuntimeException e) {
      throw new IOException("cannot list running containers: " + CriClient.message(e), e);
    }
    IOException failed = null;
    for (Cri.Container c : running) {
      Map<String, String> labels = c.getLabelsMap();
      String pod = labels.get(CriLabels.POD_NAME);
      String namespace = labels.get(CriLabels.POD_NAMESPACE);
      String uid = labels.get(CriLabels.POD_UID);
      String name = labels.get(CriLabels.CONTAINER_NAME);
      if (pod == null || namespace == null || uid == null || name == null) {
        continue;
      }
      try {
        Path log =
            ContainedPath.under(
                podLogDir(new PodKey(namespace, pod), uid),
                name,
                c.getMetadata().getAttempt() + ".log");
        rotator.rotateIfNeeded(log, () -> reopenLog(c.getId()));
      } catch (IOException | IllegalArgumentException e) {
        IOException failure =
            e instanceof IOException io
                ? io
                : new IOException("container " + c.getId() + ": " + e.getMessage(), e);
        if (failed == null) {
          failed = failure;
        } else {
          failed.addSuppressed(failure);
        }
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  private void reopenLog(String containerId) throws IOException {
    try {
      client
          .runtime()
          .reopenContainerLog(
              Cri.ReopenContainerLogRequest.newBuilder().setContainerId(containerId).build());
    } catch (StatusRuntimeException e) {
      throw new IOException(
          "ReopenContainerLog of container " + containerId + ": " + CriClient.message(e), e);
    }
  }

  @Override
  public void copyLog(LogQuery query, OutputStream out) throws IOException, InterruptedException {
    LogFiles.copy(
        ContainedPath.under(podLogDir(query.pod(), query.podUid()), query.container()),
        LogFiles.Format.CRI,
        query,
        out);
  }

  /** Stops following exits; sandboxes and containers keep running for the next runner to adopt. */
  @Override
  public void close() {
    if (events != null) {
      events.close();
    }
    if (poller != null) {
      poller.close();
    }
    client.close();
  }
}
