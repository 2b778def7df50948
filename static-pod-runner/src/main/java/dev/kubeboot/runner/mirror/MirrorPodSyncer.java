package dev.kubeboot.runner.mirror;

import dev.kubeboot.runner.manifest.ManifestSnapshot;
import dev.kubeboot.runner.metrics.RunnerMetrics;
import dev.kubeboot.runner.pod.PodKey;
import dev.kubeboot.runner.pod.StaticPod;
import dev.kubeboot.runner.status.PodStatus;
import dev.kubeboot.runner.status.RunnerStatus;
import dev.kubeboot.runner.status.StatusStore;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows this node's static pods on the API server as read-only mirror pods, as the kubelet does,
 * and registers and heartbeats the Node they belong to.
 *
 * <p>All API work happens on one virtual thread: static pods never wait on the API server. A failed
 * call is logged, shown in the runner's status as {@code mirror: "waiting: <reason>"} and retried
 * with backoff; once a whole pass succeeds the status says {@code "on"}. A pass runs on every
 * manifest or pod-status change, on every pod watch event, and at least every {@link
 * MirrorSettings#resync()}; each pass compares the wanted mirrors with what the API holds:
 *
 * <ul>
 *   <li>missing mirror: created (only once the Node exists);
 *   <li>mirror deleted, being deleted, or showing another config hash (the file changed, or someone
 *       edited {@code kubernetes.io/config.mirror}): deleted with grace 0 and a UID precondition
 *       and created again; the running containers are never touched;
 *   <li>mirror of a pod no longer in the manifests: deleted once the runner no longer reports the
 *       pod (it has stopped).
 * </ul>
 *
 * Lifecycle: new -> {@link #start} -> {@link #accept} any number of times -> {@link #close}.
 */
public final class MirrorPodSyncer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MirrorPodSyncer.class);
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);

  private final MirrorSettings settings;
  private final Supplier<KubernetesClient> clients;
  private final StatusStore store;
  private final RunnerMetrics metrics;
  private final Semaphore wake = new Semaphore(0);
  private volatile ManifestSnapshot desired;
  private volatile boolean closed;
  private volatile boolean watchBroken;
  private Thread thread;
  private AutoCloseable storeListener;

  // Owned by the sync thread.
  private KubernetesClient client;
  private Watch watch;
  private Instant nextHeartbeat = Instant.MIN;
  private final Map<PodKey, Pushed> pushed = new HashMap<>();
  private final Set<PodKey> conflictsLogged = new HashSet<>();
  private String lastProblem;
  private volatile List<PodStatus> lastPods;

  /** The status last written to a mirror, by the mirror's UID: what need not be written again. */
  private record Pushed(String mirrorUid, io.fabric8.kubernetes.api.model.PodStatus status) {}

  /**
   * @param clients builds the API client; called on the sync thread, again after it failed
   * @param store the runner's status: read for pod status, written with the syncer's state
   */
  public MirrorPodSyncer(
      MirrorSettings settings, Supplier<KubernetesClient> clients, StatusStore store) {
    this(settings, clients, store, new RunnerMetrics(store::current));
  }

  /**
   * As above, counting failed passes in {@code metrics} ({@code
   * kubeboot_mirror_pod_api_errors_total}).
   */
  public MirrorPodSyncer(
      MirrorSettings settings,
      Supplier<KubernetesClient> clients,
      StatusStore store,
      RunnerMetrics metrics) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clients = Objects.requireNonNull(clients, "clients");
    this.store = Objects.requireNonNull(store, "store");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** A syncer talking to the API server named in {@code kubeconfig} (read when first needed). */
  public static MirrorPodSyncer fromKubeconfig(
      Path kubeconfig, MirrorSettings settings, StatusStore store) {
    return fromKubeconfig(kubeconfig, settings, store, new RunnerMetrics(store::current));
  }

  /** As above, counting failed passes in {@code metrics}. */
  public static MirrorPodSyncer fromKubeconfig(
      Path kubeconfig, MirrorSettings settings, StatusStore store, RunnerMetrics metrics) {
    return new MirrorPodSyncer(settings, KubeconfigClients.from(kubeconfig), store, metrics);
  }

  /** Starts the sync thread; returns at once. */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("mirror pod syncer already started");
    }
    store.setMirror("waiting: not connected to the API server yet");
    storeListener = store.addListener(this::onStatus);
    thread = Thread.ofVirtual().name("mirror-pod-syncer").start(this::run);
  }

  /** The pods the manifests want now; their mirrors follow. Cheap, never blocks. */
  public void accept(ManifestSnapshot snapshot) {
    desired = Objects.requireNonNull(snapshot, "snapshot");
    wake.release();
  }

  private void onStatus(RunnerStatus status) {
    // Our own "mirror" field changes notify too; only pod changes need a pass.
    if (!status.pods().equals(lastPods)) {
      wake.release();
    }
  }

  private void run() {
    Duration backoff = settings.retry();
    boolean failing = true;
    while (!closed) {
      try {
        syncOnce(failing);
        if (failing) {
          LOG.info("mirror pods: in sync with the API server as node {}", settings.nodeName());
        }
        failing = false;
        lastProblem = null;
        backoff = settings.retry();
        store.setMirror("on");
        Instant now = settings.clock().instant();
        Duration untilHeartbeat = Duration.between(now, nextHeartbeat);
        Duration wait =
            untilHeartbeat.compareTo(settings.resync()) < 0 ? untilHeartbeat : settings.resync();
        if (wait.isPositive() && !watchBroken) {
          wake.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
        }
        wake.drainPermits();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        failing = true;
        metrics.mirrorApiError();
        String problem = reason(e, client == null ? null : client.getMasterUrl().toString());
        if (!problem.equals(lastProblem)) {
          LOG.warn("mirror pods: {} (retrying; static pods are not affected)", problem);
          LOG.debug("mirror pods: failure detail", e);
          lastProblem = problem;
        }
        store.setMirror("waiting: " + problem);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        wake.drainPermits();
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(settings.resync()) < 0 ? doubled : settings.resync();
      }
    }
  }

  /** One full pass. {@code reconnect}: the last pass failed, so the watch may be stale. */
  private void syncOnce(boolean reconnect) {
    if (client == null) {
      client = clients.get();
    }
    Node node = ensureNode();
    if (reconnect || watchBroken || watch == null) {
      restartWatch();
    }
    ManifestSnapshot snapshot = desired;
    if (snapshot != null) {
      syncPods(node, snapshot);
    }
  }

  private Node ensureNode() {
    Node node = client.nodes().withName(settings.nodeName()).get();
    Instant now = settings.clock().instant();
    if (node == null) {
      node = client.nodes().resource(NodeObjects.newNode(settings)).create();
      LOG.info("mirror pods: registered node {}", settings.nodeName());
      nextHeartbeat = Instant.MIN;
    }
    if (!now.isBefore(nextHeartbeat)) {
      Node beat =
          new NodeBuilder(node).withStatus(NodeObjects.heartbeat(node, settings, now)).build();
      node = client.nodes().resource(beat).updateStatus();
      renewLease(node, now);
      nextHeartbeat = now.plus(settings.heartbeat());
    }
    return node;
  }

  /** Creates or renews the node's Lease, as the kubelet does every 10 s. */
  private void renewLease(Node node, Instant now) {
    Lease wanted = NodeObjects.lease(node, settings, now);
    var leases = client.leases().inNamespace(NodeObjects.LEASE_NAMESPACE);
    Lease existing = leases.withName(settings.nodeName()).get();
    if (existing == null) {
      leases.resource(wanted).create();
      LOG.info("mirror pods: created the Lease of node {}", settings.nodeName());
      return;
    }
    leases
        .resource(
            new LeaseBuilder(existing)
                .editMetadata()
                .withOwnerReferences(wanted.getMetadata().getOwnerReferences())
                .endMetadata()
                .withSpec(wanted.getSpec())
                .build())
        .update();
  }

  private void restartWatch() {
    if (watch != null) {
      watch.close();
      watch = null;
    }
    watchBroken = false;
    watch =
        client
            .pods()
            .inAnyNamespace()
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    if (concerns(pod)) {
                      wake.release();
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {
                    watchBroken = true;
                    wake.release();
                  }
                });
  }

  /**
   * Pods of this node, or named like one of its static pods. The stand-in API cannot select on
   * {@code spec.nodeName}, so the watch takes every pod and filters here.
   */
  private boolean concerns(Pod pod) {
    if (pod == null || pod.getMetadata() == null) {
      return false;
    }
    if (pod.getSpec() != null && settings.nodeName().equals(pod.getSpec().getNodeName())) {
      return true;
    }
    ManifestSnapshot snapshot = desired;
    return snapshot != null && snapshot.pods().containsKey(MirrorPods.key(pod));
  }

  private void syncPods(Node node, ManifestSnapshot snapshot) {
    RunnerStatus status = store.current();
    lastPods = status.pods();
    Map<PodKey, Pod> existing = new HashMap<>();
    for (Pod pod : client.pods().inAnyNamespace().list().getItems()) {
      if (concerns(pod)) {
        existing.put(MirrorPods.key(pod), pod);
      }
    }
    for (StaticPod pod : snapshot.pods().values()) {
      Pod mirror = existing.get(pod.key());
      if (mirror != null && !MirrorPods.isMirror(mirror)) {
        if (conflictsLogged.add(pod.key())) {
          LOG.warn(
              "mirror pods: {} exists on the API server and is not a mirror pod; delete it to let"
                  + " the mirror of {} take its place",
              pod.key(),
              pod.source());
        }
        continue;
      }
      conflictsLogged.remove(pod.key());
      if (mirror != null && !MirrorPods.isMirrorOf(mirror, pod, node)) {
        LOG.info(
            "mirror pods: replacing {} (shows config hash {}, the pod's is {})",
            pod.key(),
            MirrorPods.mirrorHash(mirror).orElse("none"),
            pod.uid());
        delete(mirror);
        mirror = null;
      }
      if (mirror == null) {
        mirror =
            client
                .pods()
                .inNamespace(pod.key().namespace())
                .resource(MirrorPods.mirrorOf(pod, node, client.getKubernetesSerialization()))
                .create();
        // A restarted in-memory API server may hand out a UID again: never trust the old cache.
        pushed.remove(pod.key());
        LOG.info("mirror pods: created {} (uid {})", pod.key(), mirror.getMetadata().getUid());
      }
      pushStatus(mirror, status.pod(pod.key()).filter(s -> s.uid().equals(pod.uid())));
    }
    for (Pod mirror : existing.values()) {
      PodKey key = MirrorPods.key(mirror);
      if (!MirrorPods.isMirror(mirror) || snapshot.pods().containsKey(key)) {
        continue;
      }
      Optional<PodStatus> stopping = status.pod(key);
      if (stopping.isPresent()) {
        // The file is gone but the pod is still stopping: its mirror goes once it has stopped.
        String hash = MirrorPods.mirrorHash(mirror).orElse("");
        pushStatus(mirror, stopping.filter(s -> s.uid().equals(hash)));
        continue;
      }
      delete(mirror);
      pushed.remove(key);
      LOG.info("mirror pods: removed {}: its static pod is gone", key);
    }
  }

  private void pushStatus(Pod mirror, Optional<PodStatus> status) {
    if (status.isEmpty()) {
      return;
    }
    PodKey key = MirrorPods.key(mirror);
    io.fabric8.kubernetes.api.model.PodStatus wanted = MirrorStatus.of(status.get());
    String uid = mirror.getMetadata().getUid();
    Pushed last = pushed.get(key);
    if (last != null && last.mirrorUid().equals(uid) && last.status().equals(wanted)) {
      return;
    }
    client
        .pods()
        .inNamespace(key.namespace())
        .resource(new PodBuilder(mirror).withStatus(wanted).build())
        .updateStatus();
    pushed.put(key, new Pushed(uid, wanted));
  }

  /**
   * Deletes {@code mirror} at once (grace 0), and only that incarnation of it (UID precondition): a
   * mirror someone else re-created meanwhile is left for the next pass.
   */
  private void delete(Pod mirror) {
    PodKey key = MirrorPods.key(mirror);
    String body =
        """
        {"apiVersion":"v1","kind":"DeleteOptions","gracePeriodSeconds":0,\
        "preconditions":{"uid":"%s"}}"""
            .formatted(mirror.getMetadata().getUid());
    String base = client.getMasterUrl().toString();
    String url =
        (base.endsWith("/") ? base : base + "/")
            + "api/v1/namespaces/"
            + URLEncoder.encode(key.namespace(), StandardCharsets.UTF_8)
            + "/pods/"
            + URLEncoder.encode(key.name(), StandardCharsets.UTF_8);
    HttpRequest request =
        client
            .getHttpClient()
            .newHttpRequestBuilder()
            .uri(url)
            .method("DELETE", "application/json", body)
            .build();
    HttpResponse<String> response;
    try {
      response =
          client
              .getHttpClient()
              .sendAsync(request, String.class)
              .get(KubeconfigClients.REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MirrorSyncException("interrupted while deleting mirror pod " + key, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new MirrorSyncException(
          "deleting mirror pod "
              + key
              + " failed: "
              + reason(e.getCause() == null ? e : e.getCause(), base),
          e);
    }
    int code = response.code();
    // 404: already gone; 409: the precondition failed, another pod holds the name now.
    if (code / 100 != 2 && code != 404 && code != 409) {
      throw new MirrorSyncException(
          "deleting mirror pod "
              + key
              + ": the API server answered "
              + code
              + " "
              + response.body());
    }
    pushed.remove(key);
  }

  /** A one-line reason for the status field. */
  static String reason(Throwable e, String masterUrl) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof java.net.http.HttpConnectTimeoutException) {
        return "cannot reach the API server"
            + (masterUrl == null ? "" : " at " + masterUrl)
            + ": "
            + firstLine(t.toString());
      }
    }
    if (e instanceof KubernetesClientException k && k.getCode() > 0) {
      String message = k.getStatus() != null ? k.getStatus().getMessage() : null;
      return "the API server answered " + k.getCode() + (message == null ? "" : ": " + message);
    }
    return firstLine(e.getMessage() != null ? e.getMessage() : e.toString());
  }

  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

  /** Stops syncing; mirrors stay on the API server as they are, like across a kubelet restart. */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      t = thread;
    }
    if (storeListener != null) {
      try {
        storeListener.close();
      } catch (Exception e) {
        LOG.warn("mirror pods: removing the status listener", e);
      }
    }
    if (t != null) {
      t.interrupt();
      try {
        if (!t.join(JOIN_TIMEOUT)) {
          LOG.warn("mirror pods: the sync thread did not stop within {}", JOIN_TIMEOUT);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (watch != null) {
      watch.close();
    }
    if (client != null) {
      client.close();
    }
    store.setMirror("off");
  }
}
