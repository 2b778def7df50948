package dev.kubeboot.runner.runtime.docker;

import com.fasterxml.jackson.jr.ob.JSON;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.PullImageCmd;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.kubeboot.runner.network.CniPodNetwork;
import dev.kubeboot.runner.network.PodHostFiles;
import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.runtime.ContainerConfigHash;
import dev.kubeboot.runner.runtime.ContainerHandle;
import dev.kubeboot.runner.runtime.ContainerRuntime;
import dev.kubeboot.runner.runtime.ContainerStartException;
import dev.kubeboot.runner.runtime.EngineMounts;
import dev.kubeboot.runner.runtime.EngineResources;
import dev.kubeboot.runner.runtime.EngineStarts;
import dev.kubeboot.runner.runtime.ExecResult;
import dev.kubeboot.runner.runtime.ExitStatus;
import dev.kubeboot.runner.runtime.LogNotFoundException;
import dev.kubeboot.runner.runtime.LogQuery;
import dev.kubeboot.runner.runtime.LogRotation;
import dev.kubeboot.runner.runtime.OwnedPod;
import dev.kubeboot.runner.runtime.VariableExpansion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs containers in a Docker engine through docker-java, in the kubelet's docker-era shape: {@code
 * docker ps} on a kubeboot node reads like a dockershim node.
 *
 * <ul>
 *   <li>Names {@code k8s_<container>_<pod>_<namespace>_<uid>_<attempt>}; labels {@code
 *       io.kubernetes.pod.name|namespace|uid}, {@code io.kubernetes.container.name}, {@code
 *       io.kubernetes.docker.type=container}, {@code annotation.io.kubernetes.container.hash} (our
 *       {@link ContainerConfigHash}), {@code ...restartCount} (the attempt), {@code
 *       annotation.io.kubernetes.pod.terminationGracePeriod}, and the ownership label {@code
 *       dev.kubeboot.managed=true}: listing, adoption and clean-up only ever touch containers that
 *       carry it.
 *   <li>A pod without hostNetwork gets a sandbox container running the pause image ({@link
 *       DockerRuntimeOptions#podInfraImage()}), named {@code k8s_POD_<pod>_<ns>_<uid>_<attempt>}
 *       and labelled {@code io.kubernetes.docker.type=podsandbox}, with network mode "none"; the
 *       runtime attaches its network namespace to the pod network through CNI itself ({@link
 *       CniPodNetwork}), so Docker's own networks and its FORWARD policy play no part. The pod's
 *       containers join the sandbox's network and IPC namespaces (label {@code
 *       io.kubernetes.sandbox.id}) and mount the pod's {@code etc-hosts} and {@code resolv.conf};
 *       hostPorts go through the portmap plugin. hostNetwork pods' containers join the host network
 *       directly, with no sandbox container.
 *   <li>command becomes the entrypoint, args the cmd (so command alone drops the image's CMD, args
 *       alone keep its ENTRYPOINT), both with {@code $(VAR)} expanded from the container's env;
 *       hostPath volumes become bind mounts after the kubelet's type checks (see {@link
 *       EngineMounts}); privileged, runAsUser/runAsGroup, cpu and memory limits (NanoCPUs, bytes)
 *       and the cpu request (cgroup shares) are passed on.
 *   <li>imagePullPolicy: the image is inspected locally and pulled when the policy asks, bounded by
 *       {@link DockerRuntimeOptions#pullTimeout()}; failures are ErrImagePull with the engine's
 *       message, a missing image under Never is ErrImageNeverPull.
 *   <li>Exits come from the engine's event stream ({@link ExitWatcher}), exit code and OOMKilled
 *       from inspect. Stop is {@code docker stop}: the image's STOPSIGNAL (default SIGTERM),
 *       SIGKILL after the grace period, rounded up to whole seconds (the API's unit).
 *   <li>Dead containers: when a container starts again, the newest dead attempt of it is kept (for
 *       {@code logs --previous}, as the kubelet's GC keeps one) and older ones are removed; {@link
 *       #removePod} removes every dead container of the pod, as the kubelet's GC does for a deleted
 *       pod.
 * </ul>
 */
public final class DockerContainerRuntime implements ContainerRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(DockerContainerRuntime.class);

  static final int EXEC_OUTPUT_LIMIT = 10 * 1024;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration PING_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration EVENTS_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final DockerRuntimeOptions options;
  private final DockerClient client;
  private String version = "";
  private final EngineMounts mounts;
  private final ExecProcesses execProcesses = new ExecProcesses(Path.of("/proc"));
  private final ExitWatcher watcher;
  private final ExecutorService executor;
  private final ConcurrentMap<String, Tracked> tracked = new ConcurrentHashMap<>();
  private final AtomicBoolean sandboxNoticeLogged = new AtomicBoolean();
  private final DockerSandboxes sandboxes;

  /** A container whose exit this runtime reports. */
  private record Tracked(String podUid, CompletableFuture<ExitStatus> exit) {}

  /**
   * Connects to the engine and starts following its events.
   *
   * @throws IllegalStateException no Docker engine answers at the endpoint, or its event stream
   *     cannot be opened
   */
  public DockerContainerRuntime(DockerRuntimeOptions options) throws InterruptedException {
    this.options = Objects.requireNonNull(options, "options");
    this.client = newClient(options.endpoint(), Optional.empty());
    this.mounts = new EngineMounts(options.stateDir(), "docker");
    this.sandboxes =
        new DockerSandboxes(
            client,
            options,
            mounts,
            new CniPodNetwork(options.network(), options.stateDir()),
            new PodHostFiles(PodHostFiles.HOST_RESOLV_CONF));
    this.executor =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("docker-runtime-", 0).factory());
    this.watcher = new ExitWatcher(client, this::died, this::reconcile, options.clock());
    try {
      client.pingCmd().exec();
      this.version = "docker://" + client.versionCmd().exec().getVersion();
    } catch (RuntimeException e) {
      close();
      throw unavailable(options.endpoint(), e);
    }
    boolean connected;
    try {
      connected = watcher.start(EVENTS_CONNECT_TIMEOUT);
    } catch (InterruptedException e) {
      close();
      throw e;
    }
    if (!connected) {
      close();
      throw new IllegalStateException(
          "the Docker engine at "
              + options.endpoint()
              + " did not open its event stream within "
              + EVENTS_CONNECT_TIMEOUT.toSeconds()
              + " s: check dockerd's log");
    }
  }

  private static IllegalStateException unavailable(URI endpoint, Exception e) {
    return new IllegalStateException(
        "no Docker engine answers at "
            + endpoint
            + " ("
            + e.getMessage()
            + "): start dockerd, pass --container-runtime-endpoint, or use --container-runtime"
            + " process",
        e);
  }

  /**
   * Whether a Docker engine answers a ping at {@code endpoint} within two seconds: what {@code
   * --container-runtime auto} asks.
   */
  public static boolean available(URI endpoint) {
    try (DockerClient probe = newClient(endpoint, Optional.of(PING_TIMEOUT))) {
      probe.pingCmd().exec();
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.debug("no Docker engine at {}: {}", endpoint, e.toString());
      return false;
    }
  }

  private static DockerClient newClient(URI endpoint, Optional<Duration> responseTimeout) {
    DockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder()
            .withDockerHost(endpoint.toString())
            .withApiVersion(DockerRuntimeOptions.API_VERSION)
            .build();
    ApacheDockerHttpClient.Builder http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .maxConnections(64)
            .connectionTimeout(CONNECT_TIMEOUT);
    // No response timeout on the runtime's own client: event and log streams, and docker stop
    // with a long grace period, legitimately stay silent for a long time.
    responseTimeout.ifPresent(http::responseTimeout);
    return DockerClientImpl.getInstance(config, http.build());
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public String name() {
    return "docker";
  }

  @Override
  public List<String> preparePod(StaticPod pod)
      throws ContainerStartException, InterruptedException {
    return pod.spec().hostNetwork() ? List.of() : sandboxes.ensure(pod).ips();
  }

  @Override
  public List<String> podIPs(String podUid) {
    return sandboxes.ips(podUid);
  }

  @Override
  public List<OwnedPod> listOwnedPods() {
    return sandboxes.owned();
  }

  @Override
  public ContainerHandle start(StaticPod pod, Container container, int attempt)
      throws ContainerStartException, InterruptedException {
    Optional<DockerSandboxes.Sandbox> sandbox =
        pod.spec().hostNetwork() ? Optional.empty() : Optional.of(sandboxes.ensure(pod));
    if (sandbox.isEmpty() && sandboxNoticeLogged.compareAndSet(false, true)) {
      LOG.info(
          "docker runtime: hostNetwork pods run without a pause (sandbox) container; their"
              + " containers join the host network directly");
    }
    ensureImage(pod, container);
    List<Bind> binds =
        new ArrayList<>(
            mounts.prepare(pod, container).stream()
                .map(
                    m ->
                        new Bind(
                            m.hostPath(),
                            new Volume(m.containerPath()),
                            m.readOnly() ? AccessMode.ro : AccessMode.rw))
                .toList());
    sandbox.ifPresent(sb -> binds.addAll(hostFileBinds(container, sb.files())));
    String configHash = ContainerConfigHash.of(pod, container);
    String name =
        DockerLabels.containerName(
            container.name(), pod.key().name(), pod.key().namespace(), pod.uid(), attempt);
    pruneDead(pod.uid(), container.name(), name);

    long creating = System.nanoTime();
    String id = create(pod, container, attempt, name, binds, configHash, sandbox);
    Tracked t = new Tracked(pod.uid(), new CompletableFuture<>());
    tracked.put(id, t);
    long starting = System.nanoTime();
    try {
      client.startContainerCmd(id).exec();
    } catch (RuntimeException e) {
      tracked.remove(id);
      removeQuietly(id);
      throw EngineStarts.startFailed(pod, container, engineMessage(e), e);
    }
    long started = System.nanoTime();
    Instant startedAt = startedAt(id).orElseGet(() -> options.clock().instant());
    LOG.debug(
        "started {} container {} as {} ({}; create {} ms, start {} ms)",
        pod.key(),
        container.name(),
        name,
        id,
        Duration.ofNanos(starting - creating).toMillis(),
        Duration.ofNanos(started - starting).toMillis());
    return new ContainerHandle(
        id, pod.key(), pod.uid(), container.name(), attempt, startedAt, configHash);
  }

  /**
   * The pod's /etc/hosts and /etc/resolv.conf over the container's, as the kubelet mounts them;
   * left out where the container mounts a volume at that path itself.
   */
  private static List<Bind> hostFileBinds(Container container, PodHostFiles.Written files) {
    List<Bind> binds = new ArrayList<>();
    Map<String, String> wanted =
        Map.of(
            "/etc/hosts",
            files.hosts().toString(),
            "/etc/resolv.conf",
            files.resolvConf().toString());
    wanted.forEach(
        (path, host) -> {
          if (container.volumeMounts().stream().noneMatch(m -> m.mountPath().equals(path))) {
            binds.add(new Bind(host, new Volume(path), AccessMode.rw));
          }
        });
    return binds;
  }

  private String create(
      StaticPod pod,
      Container container,
      int attempt,
      String name,
      List<Bind> binds,
      String configHash,
      Optional<DockerSandboxes.Sandbox> sandbox)
      throws ContainerStartException {
    Map<String, String> env =
        VariableExpansion.resolveEnv(
            container.env(), sandbox.map(DockerSandboxes.Sandbox::ips).orElse(List.of()));
    HostConfig host =
        HostConfig.newHostConfig()
            .withNetworkMode(sandbox.map(sb -> "container:" + sb.id()).orElse("host"))
            .withBinds(binds)
            .withPrivileged(container.securityContext().privileged())
            .withLogConfig(logConfig(options.containerLogs()));
    sandbox.ifPresent(sb -> host.withIpcMode("container:" + sb.id()));
    resources(pod, container, host);
    Map<String, String> labels = labels(pod, container, attempt, configHash);
    sandbox.ifPresent(sb -> labels.put(DockerLabels.SANDBOX_ID, sb.id()));
    CreateContainerCmd cmd =
        client
            .createContainerCmd(container.image())
            .withName(name)
            .withLabels(labels)
            .withEnv(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
            .withHostConfig(host);
    if (!container.command().isEmpty()) {
      cmd.withEntrypoint(
          container.command().stream().map(w -> VariableExpansion.expand(w, env)).toList());
    }
    if (!container.args().isEmpty()) {
      cmd.withCmd(container.args().stream().map(w -> VariableExpansion.expand(w, env)).toList());
    }
    container.workingDir().ifPresent(cmd::withWorkingDir);
    container
        .securityContext()
        .runAsUser()
        .ifPresent(
            uid ->
                cmd.withUser(
                    uid + container.securityContext().runAsGroup().map(g -> ":" + g).orElse("")));
    for (int tries = 0; ; tries++) {
      try {
        return cmd.exec().getId();
      } catch (ConflictException e) {
        if (tries > 0 || !removeDeadOwned(name)) {
          throw new ContainerStartException(
              "CreateContainerError",
              "a container named "
                  + name
                  + " already exists and is not a dead kubeboot container: remove it (docker rm"
                  + " -f "
                  + name
                  + ")",
              e);
        }
      } catch (RuntimeException e) {
        throw EngineStarts.createFailed(pod, container, engineMessage(e), e);
      }
    }
  }

  private static Map<String, String> labels(
      StaticPod pod, Container container, int attempt, String configHash) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(DockerLabels.POD_NAME, pod.key().name());
    labels.put(DockerLabels.POD_NAMESPACE, pod.key().namespace());
    labels.put(DockerLabels.POD_UID, pod.uid());
    labels.put(DockerLabels.CONTAINER_NAME, container.name());
    labels.put(DockerLabels.DOCKER_TYPE, "container");
    labels.put(DockerLabels.CONTAINER_HASH, configHash);
    labels.put(DockerLabels.RESTART_COUNT, Integer.toString(attempt));
    labels.put(
        DockerLabels.GRACE_PERIOD, Long.toString(pod.spec().terminationGracePeriod().toSeconds()));
    labels.put(DockerLabels.MANAGED, "true");
    return labels;
  }

  /**
   * The json-file driver with the kubelet's limits: the engine rotates as it writes (so no file
   * grows past the limit by more than one line) and keeps {@code max-file} files with the one being
   * written, as the kubelet does. Its {@code compress} gzips every rotated file, the newest one
   * too, where the kubelet leaves that one plain. Named explicitly: a daemon whose default driver
   * is another (journald, none) would otherwise leave the logs unrotated, or unreadable by {@code
   * kubeboot logs}.
   */
  static LogConfig logConfig(LogRotation rotation) {
    return new LogConfig(
        LogConfig.LoggingType.JSON_FILE,
        Map.of(
            "max-size",
            Long.toString(rotation.maxSizeBytes()),
            "max-file",
            Integer.toString(rotation.maxFiles()),
            "compress",
            "true"));
  }

  private static void resources(StaticPod pod, Container container, HostConfig host)
      throws ContainerStartException {
    EngineResources settings = EngineResources.of(pod, container);
    settings.nanoCpus().ifPresent(host::withNanoCPUs);
    settings.memoryLimitBytes().ifPresent(host::withMemory);
    settings.cpuShares().ifPresent(shares -> host.withCpuShares(Math.toIntExact(shares)));
  }

  private void ensureImage(StaticPod pod, Container container)
      throws ContainerStartException, InterruptedException {
    String image = container.image();
    boolean present = imagePresent(image);
    EngineStarts.ensure(
        pod,
        container,
        present,
        "load it into the engine (docker load, docker import)",
        this::pull);
  }

  private boolean imagePresent(String image) throws ContainerStartException {
    try {
      client.inspectImageCmd(image).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    } catch (RuntimeException e) {
      throw new ContainerStartException(
          "ErrImagePull", "cannot inspect image \"" + image + "\": " + engineMessage(e), e);
    }
  }

  @Override
  public void pullImage(String image) throws ContainerStartException, InterruptedException {
    EngineStarts.pull(image, this::pull);
  }

  private void pull(String image, String what)
      throws ContainerStartException, InterruptedException {
    ImageReference ref = ImageReference.parse(image);
    PullImageCmd cmd = client.pullImageCmd(ref.repository());
    if (!ref.tag().isEmpty()) {
      cmd.withTag(ref.tag());
    }
    Duration timeout = options.pullTimeout();
    PullProgress progress = cmd.exec(new PullProgress());
    try {
      if (!progress.awaitCompletion(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new ContainerStartException(
            "ErrImagePull", what + "no answer from the registry within " + timeout);
      }
    } catch (RuntimeException e) {
      throw new ContainerStartException("ErrImagePull", what + engineMessage(e), e);
    } finally {
      closeQuietly(progress);
    }
    if (progress.error != null) {
      throw new ContainerStartException("ErrImagePull", what + progress.error);
    }
    LOG.info("pulled image {}", image);
  }

  /** Collects the error a pull reports, in its progress stream or as the request's failure. */
  private static final class PullProgress extends ResultCallback.Adapter<PullResponseItem> {
    private volatile String error;

    @Override
    public void onNext(PullResponseItem item) {
      if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) {
        error = item.getErrorDetail().getMessage();
      } else if (item.isErrorIndicated() && error == null) {
        error = "the engine reported a pull error without a message";
      }
    }

    /** An expected outcome here (no registry reachable): reported as ErrImagePull, not logged. */
    @Override
    public void onError(Throwable throwable) {
      error = engineMessage(throwable);
      closeQuietly(this);
    }
  }

  /** The engine's own message from a docker-java exception ("Status 500: {"message": ...}"). */
  static String engineMessage(Throwable e) {
    String message = Objects.requireNonNullElse(e.getMessage(), e.toString());
    int brace = message.indexOf('{');
    if (brace >= 0) {
      try {
        Object text = JSON.std.mapFrom(message.substring(brace)).get("message");
        if (text != null) {
          return text.toString();
        }
      } catch (IOException notJson) {
        // Not the engine's JSON: the message as it stands.
      }
    }
    return message.strip();
  }

  /**
   * Removes dead attempts of a container except the newest one (kept for {@code logs --previous}),
   * and any dead one holding the name about to be used.
   */
  private void pruneDead(String podUid, String containerName, String newName) {
    List<com.github.dockerjava.api.model.Container> dead;
    try {
      dead =
          client
              .listContainersCmd()
              .withShowAll(true)
              .withLabelFilter(
                  Map.of(
                      DockerLabels.MANAGED, "true",
                      DockerLabels.POD_UID, podUid,
                      DockerLabels.CONTAINER_NAME, containerName))
              .exec()
              .stream()
              .filter(c -> !isRunning(c))
              .sorted(Comparator.comparingInt(DockerContainerRuntime::attemptOf).reversed())
              .toList();
    } catch (RuntimeException e) {
      LOG.warn("cannot list dead containers of {}: {}", containerName, engineMessage(e));
      return;
    }
    boolean keptOne = false;
    for (var c : dead) {
      boolean sameName = Stream.of(c.getNames()).anyMatch(n -> n.equals("/" + newName));
      if (!keptOne && !sameName) {
        keptOne = true;
        continue;
      }
      tracked.remove(c.getId());
      removeQuietly(c.getId());
    }
  }

  /** Removes the named container if it is ours and dead; returns whether it did. */
  private boolean removeDeadOwned(String name) {
    try {
      InspectContainerResponse c = client.inspectContainerCmd(name).exec();
      Map<String, String> labels = c.getConfig().getLabels();
      if (labels == null
          || !"true".equals(labels.get(DockerLabels.MANAGED))
          || Boolean.TRUE.equals(c.getState().getRunning())) {
        return false;
      }
      tracked.remove(c.getId());
      client.removeContainerCmd(c.getId()).exec();
      return true;
    } catch (RuntimeException e) {
      LOG.warn("cannot remove container {}: {}", name, engineMessage(e));
      return false;
    }
  }

  private void removeQuietly(String id) {
    try {
      client.removeContainerCmd(id).withForce(true).exec();
    } catch (NotFoundException gone) {
      // Already removed.
    } catch (RuntimeException e) {
      LOG.warn("cannot remove container {}: {}", id, engineMessage(e));
    }
  }

  private static boolean isRunning(com.github.dockerjava.api.model.Container c) {
    return "running".equals(c.getState())
        || "restarting".equals(c.getState())
        || "paused".equals(c.getState());
  }

  private static int attemptOf(com.github.dockerjava.api.model.Container c) {
    try {
      return Integer.parseInt(c.getLabels().getOrDefault(DockerLabels.RESTART_COUNT, "-1"));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private Optional<Instant> startedAt(String id) {
    try {
      return parseTime(client.inspectContainerCmd(id).exec().getState().getStartedAt());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<Instant> parseTime(String time) {
    if (time == null || time.startsWith("0001-")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(time));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  @Override
  public CompletionStage<ExitStatus> onExit(ContainerHandle container) {
    return track(container.id(), container.podUid()).exit().minimalCompletionStage();
  }

  /**
   * The tracked entry of a container; a container not seen before (adopted, or from before this
   * runtime) is checked once, since it may have died before the event stream could tell.
   */
  private Tracked track(String id, String podUid) {
    AtomicBoolean added = new AtomicBoolean();
    Tracked t =
        tracked.computeIfAbsent(
            id,
            k -> {
              added.set(true);
              return new Tracked(podUid, new CompletableFuture<>());
            });
    if (added.get()) {
      executor.execute(() -> finishIfExited(id, t));
    }
    return t;
  }

  /** A die event: its exit code and OOM state come from inspect, off the event stream's thread. */
  private void died(String id) {
    Tracked t = tracked.get(id);
    if (t != null && !t.exit().isDone()) {
      executor.execute(() -> finishIfExited(id, t));
    }
  }

  private void reconcile() {
    tracked.forEach(
        (id, t) -> {
          if (!t.exit().isDone()) {
            finishIfExited(id, t);
          }
        });
  }

  private void finishIfExited(String id, Tracked t) {
    if (t.exit().isDone()) {
      return;
    }
    InspectContainerResponse.ContainerState state;
    try {
      state = client.inspectContainerCmd(id).exec().getState();
    } catch (NotFoundException e) {
      t.exit().complete(new ExitStatus(-1, "Unknown", options.clock().instant()));
      return;
    } catch (RuntimeException e) {
      LOG.warn("cannot inspect container {}: {}", id, engineMessage(e));
      return;
    }
    if (Boolean.TRUE.equals(state.getRunning())) {
      return;
    }
    int code = state.getExitCodeLong() == null ? -1 : state.getExitCodeLong().intValue();
    Instant finishedAt =
        parseTime(state.getFinishedAt()).orElseGet(() -> options.clock().instant());
    ExitStatus status =
        Boolean.TRUE.equals(state.getOOMKilled())
            ? new ExitStatus(code, "OOMKilled", finishedAt)
            : ExitStatus.of(code, finishedAt);
    if (t.exit().complete(status)) {
      LOG.debug("container {} exited: {}", id, status);
    }
  }

  @Override
  public void stop(ContainerHandle container, Duration gracePeriod) throws InterruptedException {
    Tracked t = track(container.id(), container.podUid());
    if (t.exit().isDone()) {
      return;
    }
    long seconds = Math.max(0, (gracePeriod.toMillis() + 999) / 1000);
    try {
      client
          .stopContainerCmd(container.id())
          .withTimeout((int) Math.min(Integer.MAX_VALUE, seconds))
          .exec();
    } catch (NotModifiedException alreadyStopped) {
      // Exited meanwhile: its state says how.
    } catch (NotFoundException gone) {
      t.exit().complete(new ExitStatus(-1, "Unknown", options.clock().instant()));
      return;
    } catch (RuntimeException e) {
      LOG.warn(
          "docker stop {} ({} of {}) failed: {}; killing it",
          container.id(),
          container.containerName(),
          container.pod(),
          engineMessage(e));
      try {
        client.killContainerCmd(container.id()).exec();
      } catch (RuntimeException killFailed) {
        LOG.warn("docker kill {} failed: {}", container.id(), engineMessage(killFailed));
      }
    }
    // docker stop returns once the container is dead: report it now rather than after the event.
    finishIfExited(container.id(), t);
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
    String execId;
    try {
      execId =
          client
              .execCreateCmd(container.id())
              .withCmd(command.toArray(String[]::new))
              .withAttachStdout(true)
              .withAttachStderr(true)
              .exec()
              .getId();
    } catch (RuntimeException e) {
      return new ExecResult(
          -1,
          "cannot exec in container \""
              + container.containerName()
              + "\" of pod "
              + container.pod()
              + ": "
              + engineMessage(e),
          false);
    }
    CappedOutput output = new CappedOutput(EXEC_OUTPUT_LIMIT);
    try {
      client.execStartCmd(execId).exec(output);
      if (!output.awaitCompletion(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        killExec(container.id(), execId);
        return new ExecResult(137, output.text(), true);
      }
      Long code = client.inspectExecCmd(execId).exec().getExitCodeLong();
      return new ExecResult(code == null ? -1 : code.intValue(), output.text(), false);
    } catch (RuntimeException e) {
      return new ExecResult(-1, output.text() + engineMessage(e), false);
    } finally {
      closeQuietly(output);
    }
  }

  /**
   * The API cannot kill an exec; its process is signalled on the host instead (the engine reports
   * host pids, so this needs the runner in the host's pid namespace, as the kubelet is), and only
   * while that pid is still a process of the container ({@link ExecProcesses}).
   */
  private void killExec(String containerId, String execId) {
    try {
      Long pid = client.inspectExecCmd(execId).exec().getPidLong();
      if (pid != null && pid > 0) {
        execProcesses.kill(pid, containerId);
      }
    } catch (RuntimeException e) {
      LOG.debug("cannot kill timed-out exec {}: {}", execId, engineMessage(e));
    }
  }

  /** Keeps the first {@code limit} bytes of an exec's stdout and stderr, interleaved. */
  private static final class CappedOutput extends ResultCallback.Adapter<Frame> {
    private final int limit;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

    CappedOutput(int limit) {
      this.limit = limit;
    }

    @Override
    public void onNext(Frame frame) {
      byte[] payload = frame.getPayload();
      if (payload == null) {
        return;
      }
      synchronized (kept) {
        int room = limit - kept.size();
        if (room > 0) {
          kept.write(payload, 0, Math.min(room, payload.length));
        }
      }
    }

    String text() {
      synchronized (kept) {
        return kept.toString(StandardCharsets.UTF_8);
      }
    }
  }

  @Override
  public List<ContainerHandle> listOwned() throws InterruptedException {
    List<com.github.dockerjava.api.model.Container> running =
        client
            .listContainersCmd()
            .withShowAll(false)
            .withLabelFilter(
                Map.of(
                    DockerLabels.MANAGED,
                    "true",
                    DockerLabels.DOCKER_TYPE,
                    DockerLabels.TYPE_CONTAINER))
            .exec();
    List<ContainerHandle> owned = new ArrayList<>();
    for (var c : running) {
      if (!"running".equals(c.getState())) {
        continue;
      }
      Optional<ContainerHandle> handle = handleOf(c);
      if (handle.isEmpty()) {
        LOG.warn(
            "container {} carries {}=true but not the kubelet labels; ignored",
            c.getId(),
            DockerLabels.MANAGED);
        continue;
      }
      track(c.getId(), handle.get().podUid());
      owned.add(handle.get());
    }
    owned.sort(ContainerHandle.BY_POD_CONTAINER_ATTEMPT);
    return owned;
  }

  private Optional<ContainerHandle> handleOf(com.github.dockerjava.api.model.Container c) {
    Map<String, String> labels = c.getLabels() == null ? Map.of() : c.getLabels();
    String pod = labels.get(DockerLabels.POD_NAME);
    String namespace = labels.get(DockerLabels.POD_NAMESPACE);
    String uid = labels.get(DockerLabels.POD_UID);
    String container = labels.get(DockerLabels.CONTAINER_NAME);
    int attempt = attemptOf(c);
    if (pod == null || namespace == null || uid == null || container == null || attempt < 0) {
      return Optional.empty();
    }
    Instant startedAt =
        startedAt(c.getId())
            .orElseGet(
                () ->
                    c.getCreated() == null
                        ? options.clock().instant()
                        : Instant.ofEpochSecond(c.getCreated()));
    return Optional.of(
        new ContainerHandle(
            c.getId(),
            new PodKey(namespace, pod),
            uid,
            container,
            attempt,
            startedAt,
            labels.getOrDefault(DockerLabels.CONTAINER_HASH, "")));
  }

  @Override
  public void removePod(PodKey pod, String podUid) throws InterruptedException {
    List<com.github.dockerjava.api.model.Container> containers;
    try {
      containers =
          client
              .listContainersCmd()
              .withShowAll(true)
              .withLabelFilter(
                  Map.of(
                      DockerLabels.MANAGED,
                      "true",
                      DockerLabels.POD_UID,
                      podUid,
                      DockerLabels.DOCKER_TYPE,
                      DockerLabels.TYPE_CONTAINER))
              .exec();
    } catch (RuntimeException e) {
      LOG.warn("removePod {}: cannot list its containers: {}", pod, engineMessage(e));
      return;
    }
    boolean anyRunning = false;
    for (var c : containers) {
      if (isRunning(c)) {
        anyRunning = true;
        LOG.warn(
            "removePod {}: container {} ({}) still runs; left in place",
            pod,
            c.getId(),
            String.join(",", c.getNames()));
        continue;
      }
      tracked.remove(c.getId());
      removeQuietly(c.getId());
    }
    tracked.values().removeIf(t -> t.podUid().equals(podUid) && t.exit().isDone());
    if (anyRunning) {
      LOG.warn("removePod {}: its sandbox is kept while a container runs", pod);
      return;
    }
    sandboxes.remove(pod, podUid);
    try {
      mounts.deletePodDir(pod, podUid);
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("removePod {}: cannot delete its directory: {}", pod, e.getMessage());
    }
  }

  @Override
  public void copyLog(LogQuery query, OutputStream out) throws IOException, InterruptedException {
    String id =
        findContainer(query.pod(), query.container(), query.previous())
            .orElseThrow(
                () ->
                    new LogNotFoundException(
                        "no "
                            + (query.previous() ? "previous " : "")
                            + "container "
                            + query.container()
                            + " of pod "
                            + query.pod()
                            + " in the Docker engine at "
                            + options.endpoint()));
    streamLogs(id, query.follow(), out);
  }

  /**
   * The id of a container of a pod for {@code kubeboot logs}, running or dead, found by labels: the
   * newest attempt, or with {@code previous} the one before it.
   */
  Optional<String> findContainer(PodKey pod, String containerName, boolean previous) {
    List<com.github.dockerjava.api.model.Container> attempts =
        client
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(
                Map.of(
                    DockerLabels.MANAGED,
                    "true",
                    DockerLabels.POD_NAMESPACE,
                    pod.namespace(),
                    DockerLabels.POD_NAME,
                    pod.name(),
                    DockerLabels.CONTAINER_NAME,
                    containerName))
            .exec()
            .stream()
            .sorted(
                Comparator.comparing(
                        (com.github.dockerjava.api.model.Container c) ->
                            Objects.requireNonNullElse(c.getCreated(), 0L))
                    .reversed())
            .toList();
    int index = previous ? 1 : 0;
    return attempts.size() > index ? Optional.of(attempts.get(index).getId()) : Optional.empty();
  }

  /**
   * Copies a container's output (stdout and stderr, as the engine logged them) to {@code out}; with
   * {@code follow}, keeps copying until the container stops or the thread is interrupted.
   *
   * @throws IOException writing to {@code out} failed, or the engine does not know the container
   */
  void streamLogs(String containerId, boolean follow, OutputStream out)
      throws IOException, InterruptedException {
    LogCopier copier = new LogCopier(out);
    try {
      client
          .logContainerCmd(containerId)
          .withStdOut(true)
          .withStdErr(true)
          .withFollowStream(follow)
          .exec(copier);
      copier.awaitCompletion();
    } catch (NotFoundException e) {
      throw new IOException("no container " + containerId + " in the Docker engine", e);
    } catch (RuntimeException e) {
      if (copier.writeError != null) {
        throw copier.writeError;
      }
      throw new IOException(
          "reading the log of container " + containerId + ": " + engineMessage(e), e);
    } finally {
      closeQuietly(copier);
    }
    if (copier.writeError != null) {
      throw copier.writeError;
    }
    out.flush();
  }

  private static final class LogCopier extends ResultCallback.Adapter<Frame> {
    private final OutputStream out;
    private volatile IOException writeError;

    LogCopier(OutputStream out) {
      this.out = out;
    }

    @Override
    public void onNext(Frame frame) {
      try {
        out.write(frame.getPayload());
        if (frame.getStreamType() != null) {
          out.flush();
        }
      } catch (IOException e) {
        writeError = e;
        closeQuietly(this);
      }
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.debug("closing {}: {}", closeable, e.toString());
    }
  }

  /** Stops following events; containers keep running for the next runner to adopt. */
  @Override
  public void close() {
    if (watcher != null) {
      watcher.close();
    }
    executor.shutdown();
    try {
      client.close();
    } catch (IOException e) {
      LOG.debug("closing the docker client: {}", e.getMessage());
    }
  }
}
