package dev.kubeboot.runner.manifest;

import static dev.kubeboot.runner.manifest.Fields.child;
import static dev.kubeboot.runner.manifest.Fields.index;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The defaults a kubelet's file source and the API server's Pod defaulting give a static pod
 * (pkg/kubelet/config/common.go, pkg/apis/core/v1/defaults.go), applied in place to a mutable
 * manifest tree. Values the manifest already sets are kept, so writing a default explicitly yields
 * the same tree as leaving it out.
 */
final class PodDefaults {
  static final String CONFIG_SOURCE = "kubernetes.io/config.source";
  static final String CONFIG_HASH = "kubernetes.io/config.hash";
  static final String CONFIG_SEEN = "kubernetes.io/config.seen";
  static final String CONFIG_MIRROR = "kubernetes.io/config.mirror";

  private PodDefaults() {}

  /** The pod name on this node: the manifest's name, '-', the node name in lower case. */
  static String podName(String manifestName, String nodeName) {
    return manifestName + "-" + nodeName.toLowerCase(Locale.ROOT);
  }

  static void apply(Map<String, Object> pod, String nodeName) {
    Map<String, Object> metadata = mutableMap(pod, "", "metadata");
    String name = Fields.string(metadata, "metadata", "name");
    if (!name.isEmpty()) {
      metadata.put("name", podName(name, nodeName));
    }
    if (Fields.string(metadata, "metadata", "namespace").isEmpty()) {
      metadata.put("namespace", "default");
    }
    Map<String, Object> annotations = mutableMap(metadata, "metadata", "annotations");
    // The runner owns these; a copy pasted from `kubectl get -o yaml` must not pin them.
    annotations.remove(CONFIG_HASH);
    annotations.remove(CONFIG_SEEN);
    annotations.remove(CONFIG_MIRROR);
    annotations.put(CONFIG_SOURCE, "file");

    Map<String, Object> spec = mutableMap(pod, "", "spec");
    spec.put("nodeName", nodeName);
    addNoExecuteToleration(spec);
    spec.putIfAbsent("restartPolicy", "Always");
    spec.putIfAbsent("dnsPolicy", "ClusterFirst");
    spec.putIfAbsent("terminationGracePeriodSeconds", 30L);
    spec.putIfAbsent("schedulerName", "default-scheduler");
    spec.putIfAbsent("enableServiceLinks", true);
    spec.putIfAbsent("securityContext", new LinkedHashMap<String, Object>());
    boolean hostNetwork = Boolean.TRUE.equals(spec.get("hostNetwork"));
    for (String kind : List.of("initContainers", "containers")) {
      List<Map<String, Object>> containers = Fields.mapList(spec, "spec", kind);
      for (int i = 0; i < containers.size(); i++) {
        container(containers.get(i), index(child("spec", kind), i), hostNetwork);
      }
    }
    List<Map<String, Object>> volumes = Fields.mapList(spec, "spec", "volumes");
    for (int i = 0; i < volumes.size(); i++) {
      volume(volumes.get(i), index("spec.volumes", i));
    }
  }

  private static void addNoExecuteToleration(Map<String, Object> spec) {
    List<Map<String, Object>> tolerations = Fields.mapList(spec, "spec", "tolerations");
    Map<String, Object> wanted = new LinkedHashMap<>();
    wanted.put("operator", "Exists");
    wanted.put("effect", "NoExecute");
    for (Map<String, Object> t : tolerations) {
      if (t.equals(wanted)) {
        return;
      }
    }
    List<Object> updated = new ArrayList<>(tolerations);
    updated.add(wanted);
    spec.put("tolerations", updated);
  }

  private static void container(Map<String, Object> c, String path, boolean hostNetwork) {
    c.putIfAbsent("terminationMessagePath", "/dev/termination-log");
    c.putIfAbsent("terminationMessagePolicy", "File");
    if (!c.containsKey("imagePullPolicy") && c.get("image") instanceof String image) {
      c.put("imagePullPolicy", isLatest(image) ? "Always" : "IfNotPresent");
    }
    List<Map<String, Object>> ports = Fields.mapList(c, path, "ports");
    for (Map<String, Object> port : ports) {
      port.putIfAbsent("protocol", "TCP");
      if (hostNetwork && port.get("containerPort") instanceof Long containerPort) {
        Object hostPort = port.get("hostPort");
        if (hostPort == null || Long.valueOf(0).equals(hostPort)) {
          port.put("hostPort", containerPort);
        }
      }
    }
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      Fields.optMap(c, path, probe).ifPresent(p -> probe(p, child(path, probe)));
    }
    Fields.optMap(c, path, "lifecycle")
        .ifPresent(
            lifecycle -> {
              for (String hook : List.of("preStop", "postStart")) {
                Fields.optMap(lifecycle, child(path, "lifecycle"), hook)
                    .ifPresent(h -> handler(h, child(child(path, "lifecycle"), hook)));
              }
            });
    Fields.optMap(c, path, "resources")
        .ifPresent(r -> requestsFromLimits(r, child(path, "resources")));
    List<Map<String, Object>> env = Fields.mapList(c, path, "env");
    for (int i = 0; i < env.size(); i++) {
      String envPath = index(child(path, "env"), i);
      Fields.optMap(env.get(i), envPath, "valueFrom")
          .flatMap(v -> Fields.optMap(v, child(envPath, "valueFrom"), "fieldRef"))
          .ifPresent(f -> f.putIfAbsent("apiVersion", "v1"));
    }
  }

  private static void probe(Map<String, Object> probe, String path) {
    probe.putIfAbsent("timeoutSeconds", 1L);
    probe.putIfAbsent("periodSeconds", 10L);
    probe.putIfAbsent("successThreshold", 1L);
    probe.putIfAbsent("failureThreshold", 3L);
    handler(probe, path);
  }

  private static void handler(Map<String, Object> handler, String path) {
    Fields.optMap(handler, path, "httpGet")
        .ifPresent(
            get -> {
              get.putIfAbsent("path", "/");
              get.putIfAbsent("scheme", "HTTP");
            });
  }

  // SetDefaults_Pod: a limit without a request makes the request equal to the limit.
  private static void requestsFromLimits(Map<String, Object> resources, String path) {
    Map<String, Object> limits = Fields.map(resources, path, "limits");
    if (limits.isEmpty()) {
      return;
    }
    Map<String, Object> requests = mutableMap(resources, path, "requests");
    limits.forEach(requests::putIfAbsent);
  }

  private static void volume(Map<String, Object> volume, String path) {
    Fields.optMap(volume, path, "hostPath").ifPresent(h -> h.putIfAbsent("type", ""));
    boolean hasSource = volume.keySet().stream().anyMatch(PodReader.VOLUME_SOURCES::contains);
    if (!hasSource) {
      volume.put("emptyDir", new LinkedHashMap<String, Object>());
    }
  }

  /** Whether the API server defaults this image's pull policy to Always (tag "latest" or none). */
  static boolean isLatest(String image) {
    String ref = image;
    int at = ref.indexOf('@');
    boolean digest = at >= 0;
    if (digest) {
      ref = ref.substring(0, at);
    }
    int slash = ref.lastIndexOf('/');
    int colon = ref.lastIndexOf(':');
    if (colon > slash) {
      return ref.substring(colon + 1).equals("latest");
    }
    return !digest;
  }

  private static Map<String, Object> mutableMap(
      Map<String, Object> parent, String path, String key) {
    Map<String, Object> m = Fields.map(parent, path, key);
    if (!parent.containsKey(key)) {
      m = new LinkedHashMap<>();
      parent.put(key, m);
    }
    return m;
  }
}
