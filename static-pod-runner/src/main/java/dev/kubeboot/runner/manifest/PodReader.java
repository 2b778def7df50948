package dev.kubeboot.runner.manifest;

import static dev.kubeboot.runner.manifest.Fields.child;
import static dev.kubeboot.runner.manifest.Fields.index;

import dev.kubeboot.runner.network.Cidr;
import dev.kubeboot.runner.pod.Container;
import dev.kubeboot.runner.pod.ContainerPort;
import dev.kubeboot.runner.pod.EnvValue;
import dev.kubeboot.runner.pod.EnvVar;
import dev.kubeboot.runner.pod.ImagePullPolicy;
import dev.kubeboot.runner.pod.IpField;
import dev.kubeboot.runner.pod.NameResolution;
import dev.kubeboot.runner.pod.PodSpec;
import dev.kubeboot.runner.pod.PortRef;
import dev.kubeboot.runner.pod.Probe;
import dev.kubeboot.runner.pod.ProbeAction;
import dev.kubeboot.runner.pod.ProbeTiming;
import dev.kubeboot.runner.pod.Resources;
import dev.kubeboot.runner.pod.RestartPolicy;
import dev.kubeboot.runner.pod.SecurityContext;
import dev.kubeboot.runner.pod.Volume;
import dev.kubeboot.runner.pod.VolumeMount;
import dev.kubeboot.runner.pod.VolumeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates a defaulted Pod tree the way the API server would for the fields the runner acts on,
 * and builds the typed {@link PodSpec}. Fields the runner does not act on are carried in the tree
 * unchecked, as the kubelet's decoder ignores what it does not know.
 */
final class PodReader {
  static final Set<String> VOLUME_SOURCES =
      Set.of(
          "hostPath",
          "emptyDir",
          "secret",
          "configMap",
          "projected",
          "persistentVolumeClaim",
          "ephemeral",
          "downwardAPI",
          "csi",
          "image",
          "nfs",
          "iscsi",
          "fc",
          "cephfs",
          "rbd",
          "glusterfs",
          "flexVolume",
          "gitRepo",
          "awsElasticBlockStore",
          "gcePersistentDisk",
          "azureDisk",
          "azureFile",
          "vsphereVolume",
          "quobyte",
          "portworxVolume",
          "scaleIO",
          "storageos",
          "photonPersistentDisk",
          "flocker",
          "cinder");
  // Since Kubernetes 1.34 the kubelet refuses static pods that reference API objects.
  private static final Map<String, String> API_OBJECT_VOLUMES =
      Map.of(
          "secret", "a Secret",
          "configMap", "a ConfigMap",
          "projected", "API objects (projected Secrets, ConfigMaps or service-account tokens)",
          "persistentVolumeClaim", "a PersistentVolumeClaim",
          "ephemeral", "a PersistentVolumeClaim (generic ephemeral volume)");
  private static final List<String> HOST_PATH_TYPES =
      List.of(
          "",
          "DirectoryOrCreate",
          "Directory",
          "FileOrCreate",
          "File",
          "Socket",
          "CharDevice",
          "BlockDevice");
  private static final List<String> PROBE_HANDLERS =
      List.of("httpGet", "tcpSocket", "exec", "grpc");
  private static final List<String> LIFECYCLE_HANDLERS =
      List.of("exec", "httpGet", "tcpSocket", "sleep");
  private static final Pattern LABEL_OR_ANNOTATION_REF =
      Pattern.compile("metadata\\.(labels|annotations)\\['([^']*)'\\]");

  private final Map<String, Object> pod;
  private final List<String> nodeIps;

  /**
   * @param nodeIps the node's IPs, primary first: {@code status.hostIP(s)} of every pod and {@code
   *     status.podIP(s)} of a hostNetwork pod; empty when the pod is read without running it
   */
  PodReader(Map<String, Object> pod, List<String> nodeIps) {
    this.pod = pod;
    this.nodeIps = List.copyOf(nodeIps);
  }

  static void checkTypeMeta(Map<String, Object> pod) {
    String apiVersion = Fields.string(pod, "", "apiVersion");
    String kind = Fields.string(pod, "", "kind");
    if (kind.isEmpty()) {
      throw new FieldException(
          "kind", "missing; a static pod manifest is a v1 Pod (apiVersion: v1, kind: Pod)");
    }
    if (!kind.equals("Pod")) {
      throw new FieldException(
          "kind",
          "\""
              + kind
              + "\" is not a Pod; a static pod manifest holds exactly one v1 Pod (the runner does not run "
              + kind
              + " objects)");
    }
    if (!apiVersion.equals("v1")) {
      throw new FieldException(
          "apiVersion",
          "\"" + apiVersion + "\" is not v1; a static pod manifest is a v1 Pod (apiVersion: v1)");
    }
  }

  /** Checks metadata; returns the labels. */
  Map<String, String> labels() {
    Map<String, Object> metadata = Fields.map(pod, "", "metadata");
    String generateName = Fields.string(metadata, "metadata", "generateName");
    if (Fields.string(metadata, "metadata", "name").isEmpty() && !generateName.isEmpty()) {
      throw new FieldException(
          "metadata.name",
          "required; metadata.generateName (\""
              + generateName
              + "\") names nothing for a static pod, whose name is metadata.name + \"-\" + the"
              + " node name (the kubelet refuses it too): set metadata.name");
    }
    String name = Fields.requiredString(metadata, "metadata", "name");
    String why = Names.dnsSubdomain(name);
    if (!why.isEmpty()) {
      throw new FieldException(
          "metadata.name", "\"" + name + "\" (the manifest's name + \"-\" + node name) " + why);
    }
    String namespace = Fields.string(metadata, "metadata", "namespace");
    why = Names.dnsLabel(namespace);
    if (!why.isEmpty()) {
      throw new FieldException("metadata.namespace", "\"" + namespace + "\" " + why);
    }
    Fields.optString(metadata, "metadata", "uid");
    Map<String, String> labels = Fields.stringMap(metadata, "metadata", "labels");
    labels.forEach(
        (k, v) -> {
          String bad = Names.qualifiedName(k);
          if (!bad.isEmpty()) {
            throw new FieldException("metadata.labels." + k, "key " + bad);
          }
          bad = Names.labelValue(v);
          if (!bad.isEmpty()) {
            throw new FieldException("metadata.labels." + k, "value \"" + v + "\" " + bad);
          }
        });
    return labels;
  }

  Map<String, String> annotations() {
    Map<String, Object> metadata = Fields.map(pod, "", "metadata");
    Map<String, String> annotations = Fields.stringMap(metadata, "metadata", "annotations");
    annotations
        .keySet()
        .forEach(
            k -> {
              String bad = Names.qualifiedName(k);
              if (!bad.isEmpty()) {
                throw new FieldException("metadata.annotations." + k, "key " + bad);
              }
            });
    return annotations;
  }

  PodSpec spec() {
    Map<String, Object> spec = Fields.map(pod, "", "spec");
    refuseApiObjectReferences(spec);
    RestartPolicy restartPolicy =
        switch (Fields.string(spec, "spec", "restartPolicy")) {
          case "Always" -> RestartPolicy.ALWAYS;
          case "OnFailure" -> RestartPolicy.ON_FAILURE;
          case "Never" -> RestartPolicy.NEVER;
          default ->
              throw Fields.notOneOf(
                  "spec.restartPolicy",
                  Fields.string(spec, "spec", "restartPolicy"),
                  List.of("Always", "OnFailure", "Never"));
        };
    String dnsPolicy = Fields.string(spec, "spec", "dnsPolicy");
    List<String> dnsPolicies =
        List.of("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None");
    if (!dnsPolicies.contains(dnsPolicy)) {
      throw Fields.notOneOf("spec.dnsPolicy", dnsPolicy, dnsPolicies);
    }
    boolean hostNetwork = Fields.bool(spec, "spec", "hostNetwork");
    long grace =
        Fields.optLong(spec, "spec", "terminationGracePeriodSeconds", 0, Long.MAX_VALUE)
            .orElse(30L);
    Fields.optString(spec, "spec", "nodeName");

    List<Volume> volumes = volumes(spec);
    Set<String> volumeNames = new HashSet<>();
    volumes.forEach(v -> volumeNames.add(v.name()));
    SecurityContext podSecurity =
        securityContext(
            Fields.map(spec, "spec", "securityContext"),
            "spec.securityContext",
            SecurityContext.NONE);

    if (Fields.list(spec, "spec", "containers").isEmpty()) {
      throw new FieldException("spec.containers", "required: a pod needs at least one container");
    }
    Set<String> containerNames = new HashSet<>();
    List<Container> initContainers =
        containers(spec, "initContainers", hostNetwork, volumeNames, containerNames, podSecurity);
    List<Container> containers =
        containers(spec, "containers", hostNetwork, volumeNames, containerNames, podSecurity);
    return new PodSpec(
        initContainers,
        containers,
        restartPolicy,
        hostNetwork,
        Duration.ofSeconds(grace),
        volumes,
        names(spec, dnsPolicy));
  }

  /** API validation's limits on resolv.conf (pkg/apis/core/validation). */
  private static final int MAX_NAMESERVERS = 3;

  private static final int MAX_SEARCHES = 32;
  private static final int MAX_SEARCH_CHARS = 2048;

  private static NameResolution names(Map<String, Object> spec, String dnsPolicy) {
    Optional<String> hostname = optLabel(spec, "hostname");
    Optional<String> subdomain = optLabel(spec, "subdomain");
    List<NameResolution.HostAlias> aliases = new ArrayList<>();
    List<Map<String, Object>> rawAliases = Fields.mapList(spec, "spec", "hostAliases");
    for (int i = 0; i < rawAliases.size(); i++) {
      String path = index("spec.hostAliases", i);
      Map<String, Object> a = rawAliases.get(i);
      String ip = Fields.requiredString(a, path, "ip");
      if (Cidr.ip(ip).isEmpty()) {
        throw new FieldException(child(path, "ip"), "\"" + ip + "\" is not an IP address");
      }
      List<String> hostnames = Fields.stringList(a, path, "hostnames");
      for (int j = 0; j < hostnames.size(); j++) {
        String why = Names.dnsSubdomain(hostnames.get(j));
        if (!why.isEmpty()) {
          throw new FieldException(
              index(child(path, "hostnames"), j), "\"" + hostnames.get(j) + "\" " + why);
        }
      }
      aliases.add(new NameResolution.HostAlias(ip, hostnames));
    }
    Optional<NameResolution.DnsConfig> dnsConfig =
        Fields.optMap(spec, "spec", "dnsConfig").map(PodReader::dnsConfig);
    if (dnsPolicy.equals("None") && dnsConfig.map(c -> c.nameservers().isEmpty()).orElse(true)) {
      throw new FieldException(
          "spec.dnsConfig.nameservers",
          "required when dnsPolicy is None: give at least one nameserver");
    }
    return new NameResolution(dnsPolicy, hostname, subdomain, aliases, dnsConfig);
  }

  private static Optional<String> optLabel(Map<String, Object> spec, String key) {
    Optional<String> value = Fields.optString(spec, "spec", key).filter(v -> !v.isEmpty());
    if (value.isPresent()) {
      String why = Names.dnsLabel(value.get());
      if (!why.isEmpty()) {
        throw new FieldException(child("spec", key), "\"" + value.get() + "\" " + why);
      }
    }
    return value;
  }

  private static NameResolution.DnsConfig dnsConfig(Map<String, Object> c) {
    String path = "spec.dnsConfig";
    List<String> nameservers = Fields.stringList(c, path, "nameservers");
    if (nameservers.size() > MAX_NAMESERVERS) {
      throw new FieldException(
          child(path, "nameservers"),
          nameservers.size() + " nameservers; at most " + MAX_NAMESERVERS + " are allowed");
    }
    for (int i = 0; i < nameservers.size(); i++) {
      if (Cidr.ip(nameservers.get(i)).isEmpty()) {
        throw new FieldException(
            index(child(path, "nameservers"), i),
            "\"" + nameservers.get(i) + "\" is not an IP address");
      }
    }
    List<String> searches = Fields.stringList(c, path, "searches");
    if (searches.size() > MAX_SEARCHES) {
      throw new FieldException(
          child(path, "searches"),
          searches.size() + " search domains; at most " + MAX_SEARCHES + " are allowed");
    }
    if (String.join(" ", searches).length() > MAX_SEARCH_CHARS) {
      throw new FieldException(
          child(path, "searches"),
          "longer than " + MAX_SEARCH_CHARS + " characters in all; use fewer domains");
    }
    for (int i = 0; i < searches.size(); i++) {
      String domain =
          searches.get(i).endsWith(".")
              ? searches.get(i).substring(0, searches.get(i).length() - 1)
              : searches.get(i);
      String why = Names.dnsSubdomain(domain);
      if (!why.isEmpty()) {
        throw new FieldException(
            index(child(path, "searches"), i), "\"" + searches.get(i) + "\" " + why);
      }
    }
    List<NameResolution.DnsOption> options = new ArrayList<>();
    List<Map<String, Object>> rawOptions = Fields.mapList(c, path, "options");
    for (int i = 0; i < rawOptions.size(); i++) {
      String op = index(child(path, "options"), i);
      String name = Fields.requiredString(rawOptions.get(i), op, "name");
      options.add(
          new NameResolution.DnsOption(name, Fields.optString(rawOptions.get(i), op, "value")));
    }
    return new NameResolution.DnsConfig(nameservers, searches, options);
  }

  private static void refuseApiObjectReferences(Map<String, Object> spec) {
    for (String key : List.of("serviceAccountName", "serviceAccount")) {
      String sa = Fields.string(spec, "spec", key);
      if (!sa.isEmpty()) {
        throw new FieldException(
            "spec." + key,
            "\""
                + sa
                + "\": a static pod cannot use a service account (since Kubernetes 1.34 static pods may not reference API objects); remove it");
      }
    }
    if (Fields.optBool(spec, "spec", "automountServiceAccountToken").orElse(false)) {
      throw new FieldException(
          "spec.automountServiceAccountToken",
          "a static pod cannot mount a service-account token (since Kubernetes 1.34 static pods may not reference API objects); remove it or set it to false");
    }
    if (!Fields.list(spec, "spec", "imagePullSecrets").isEmpty()) {
      throw new FieldException(
          "spec.imagePullSecrets",
          "a static pod cannot reference Secrets (since Kubernetes 1.34 static pods may not reference API objects); configure registry credentials on the node instead");
    }
    if (!Fields.list(spec, "spec", "resourceClaims").isEmpty()) {
      throw new FieldException(
          "spec.resourceClaims",
          "a static pod cannot reference ResourceClaims (since Kubernetes 1.34 static pods may not reference API objects)");
    }
  }

  private List<Volume> volumes(Map<String, Object> spec) {
    List<Map<String, Object>> raw = Fields.mapList(spec, "spec", "volumes");
    List<Volume> volumes = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < raw.size(); i++) {
      Map<String, Object> v = raw.get(i);
      String path = index("spec.volumes", i);
      String name = dnsLabel(v, path, "name");
      if (!names.add(name)) {
        throw new FieldException(child(path, "name"), "duplicate volume name \"" + name + "\"");
      }
      List<String> sources = v.keySet().stream().filter(VOLUME_SOURCES::contains).sorted().toList();
      if (sources.size() != 1) {
        throw new FieldException(
            path,
            "volume \""
                + name
                + "\" must have exactly one source, found "
                + String.join(", ", sources));
      }
      String kind = sources.get(0);
      String what = API_OBJECT_VOLUMES.get(kind);
      if (what != null) {
        throw new FieldException(
            child(path, kind),
            "volume \""
                + name
                + "\" references "
                + what
                + "; since Kubernetes 1.34 static pods may not reference API objects (use a hostPath volume)");
      }
      VolumeSource source =
          switch (kind) {
            case "hostPath" -> {
              Map<String, Object> h = Fields.map(v, path, "hostPath");
              String hp = child(path, "hostPath");
              String hostPath = Fields.requiredString(h, hp, "path");
              String type = Fields.string(h, hp, "type");
              if (!HOST_PATH_TYPES.contains(type)) {
                throw Fields.notOneOf(child(hp, "type"), type, HOST_PATH_TYPES);
              }
              yield new VolumeSource.HostPath(hostPath, type);
            }
            case "emptyDir" -> {
              Fields.map(v, path, "emptyDir");
              yield new VolumeSource.EmptyDir();
            }
            default -> new VolumeSource.Unsupported(kind);
          };
      volumes.add(new Volume(name, source));
    }
    return volumes;
  }

  private List<Container> containers(
      Map<String, Object> spec,
      String kind,
      boolean hostNetwork,
      Set<String> volumeNames,
      Set<String> containerNames,
      SecurityContext podSecurity) {
    List<Map<String, Object>> raw = Fields.mapList(spec, "spec", kind);
    List<Container> out = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      out.add(
          container(
              raw.get(i),
              index(child("spec", kind), i),
              kind.equals("initContainers"),
              hostNetwork,
              volumeNames,
              containerNames,
              podSecurity));
    }
    return out;
  }

  private Container container(
      Map<String, Object> c,
      String path,
      boolean init,
      boolean hostNetwork,
      Set<String> volumeNames,
      Set<String> containerNames,
      SecurityContext podSecurity) {
    String name = dnsLabel(c, path, "name");
    if (!containerNames.add(name)) {
      throw new FieldException(
          child(path, "name"),
          "duplicate container name \"" + name + "\"; container names must be unique in a pod");
    }
    String image = Fields.requiredString(c, path, "image");
    if (!image.equals(image.strip())) {
      throw new FieldException(
          child(path, "image"), "\"" + image + "\" must not have leading or trailing whitespace");
    }
    ImagePullPolicy pullPolicy =
        switch (Fields.string(c, path, "imagePullPolicy")) {
          case "Always" -> ImagePullPolicy.ALWAYS;
          case "IfNotPresent" -> ImagePullPolicy.IF_NOT_PRESENT;
          case "Never" -> ImagePullPolicy.NEVER;
          default ->
              throw Fields.notOneOf(
                  child(path, "imagePullPolicy"),
                  Fields.string(c, path, "imagePullPolicy"),
                  List.of("Always", "IfNotPresent", "Never"));
        };
    if (c.containsKey("restartPolicy")) {
      throw new FieldException(
          child(path, "restartPolicy"),
          init
              ? "sidecar (restartable init) containers are not supported by kubeboot's runner; run it as a regular container"
              : "a per-container restartPolicy is not supported; use spec.restartPolicy");
    }
    List<String> command = Fields.stringList(c, path, "command");
    List<String> args = Fields.stringList(c, path, "args");
    Optional<String> workingDir = Fields.optString(c, path, "workingDir").filter(s -> !s.isEmpty());
    List<ContainerPort> ports = ports(c, path, hostNetwork);
    List<EnvVar> env = env(c, path);
    if (!Fields.list(c, path, "envFrom").isEmpty()) {
      throw new FieldException(
          child(path, "envFrom"),
          "references a ConfigMap or Secret; since Kubernetes 1.34 static pods may not reference API objects (write the variables under env)");
    }
    List<VolumeMount> mounts = new ArrayList<>();
    List<Map<String, Object>> rawMounts = Fields.mapList(c, path, "volumeMounts");
    Set<String> mountPaths = new HashSet<>();
    for (int i = 0; i < rawMounts.size(); i++) {
      Map<String, Object> m = rawMounts.get(i);
      String mp = index(child(path, "volumeMounts"), i);
      String volume = Fields.requiredString(m, mp, "name");
      if (!volumeNames.contains(volume)) {
        throw new FieldException(
            child(mp, "name"), "no volume named \"" + volume + "\" in spec.volumes");
      }
      String mountPath = Fields.requiredString(m, mp, "mountPath");
      if (!mountPaths.add(mountPath)) {
        throw new FieldException(child(mp, "mountPath"), "\"" + mountPath + "\" is mounted twice");
      }
      Fields.optString(m, mp, "subPath");
      mounts.add(new VolumeMount(volume, mountPath, Fields.bool(m, mp, "readOnly")));
    }
    Optional<Probe> liveness = probe(c, path, "livenessProbe", ports, true);
    Optional<Probe> readiness = probe(c, path, "readinessProbe", ports, false);
    Optional<Probe> startup = probe(c, path, "startupProbe", ports, true);
    if (init && (liveness.isPresent() || readiness.isPresent() || startup.isPresent())) {
      throw new FieldException(path, "an init container may not have probes");
    }
    Optional<ProbeAction> preStop = Optional.empty();
    Optional<Map<String, Object>> lifecycle = Fields.optMap(c, path, "lifecycle");
    if (lifecycle.isPresent()) {
      String lp = child(path, "lifecycle");
      preStop =
          Fields.optMap(lifecycle.get(), lp, "preStop")
              .map(h -> lifecycleHandler(h, child(lp, "preStop"), ports));
      Fields.optMap(lifecycle.get(), lp, "postStart")
          .ifPresent(h -> lifecycleHandler(h, child(lp, "postStart"), ports));
    }
    SecurityContext security =
        securityContext(
            Fields.map(c, path, "securityContext"), child(path, "securityContext"), podSecurity);
    Map<String, Object> res = Fields.map(c, path, "resources");
    String rp = child(path, "resources");
    Resources resources =
        new Resources(
            Fields.quantityMap(res, rp, "requests"), Fields.quantityMap(res, rp, "limits"));
    return new Container(
        name,
        image,
        pullPolicy,
        command,
        args,
        env,
        workingDir,
        ports,
        mounts,
        liveness,
        readiness,
        startup,
        preStop,
        security,
        resources);
  }

  private static List<ContainerPort> ports(
      Map<String, Object> c, String path, boolean hostNetwork) {
    List<Map<String, Object>> raw = Fields.mapList(c, path, "ports");
    List<ContainerPort> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < raw.size(); i++) {
      Map<String, Object> p = raw.get(i);
      String pp = index(child(path, "ports"), i);
      String name = Fields.string(p, pp, "name");
      if (!name.isEmpty()) {
        String why = Names.portName(name);
        if (!why.isEmpty()) {
          throw new FieldException(child(pp, "name"), "\"" + name + "\" " + why);
        }
        if (!names.add(name)) {
          throw new FieldException(child(pp, "name"), "duplicate port name \"" + name + "\"");
        }
      }
      int containerPort =
          Fields.optInt(p, pp, "containerPort", 1, 65535)
              .orElseThrow(
                  () ->
                      new FieldException(
                          child(pp, "containerPort"),
                          "required: a port number between 1 and 65535"));
      int hostPort = Fields.optInt(p, pp, "hostPort", 0, 65535).orElse(0);
      if (hostNetwork && hostPort != containerPort) {
        throw new FieldException(
            child(pp, "hostPort"),
            hostPort + " must equal containerPort " + containerPort + " on a hostNetwork pod");
      }
      String protocol = Fields.string(p, pp, "protocol");
      if (!List.of("TCP", "UDP", "SCTP").contains(protocol)) {
        throw Fields.notOneOf(child(pp, "protocol"), protocol, List.of("TCP", "UDP", "SCTP"));
      }
      String hostIP = Fields.string(p, pp, "hostIP");
      if (!hostIP.isEmpty() && Cidr.ip(hostIP).isEmpty()) {
        throw new FieldException(child(pp, "hostIP"), "\"" + hostIP + "\" is not an IP address");
      }
      out.add(new ContainerPort(name, containerPort, protocol, hostPort, hostIP));
    }
    return out;
  }

  private List<EnvVar> env(Map<String, Object> c, String path) {
    List<Map<String, Object>> raw = Fields.mapList(c, path, "env");
    List<EnvVar> out = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      Map<String, Object> e = raw.get(i);
      String ep = index(child(path, "env"), i);
      String name = Fields.requiredString(e, ep, "name");
      if (name.contains("=")) {
        throw new FieldException(child(ep, "name"), "\"" + name + "\" must not contain '='");
      }
      Optional<String> value = Fields.optString(e, ep, "value");
      Optional<Map<String, Object>> valueFrom = Fields.optMap(e, ep, "valueFrom");
      if (valueFrom.isPresent()) {
        if (value.isPresent() && !value.get().isEmpty()) {
          throw new FieldException(ep, "sets both value and valueFrom; keep one");
        }
        out.add(new EnvVar(name, valueFrom(valueFrom.get(), child(ep, "valueFrom"))));
      } else {
        out.add(new EnvVar(name, value.orElse("")));
      }
    }
    return out;
  }

  /**
   * Resolves a {@code valueFrom} as far as it is known now; {@code status.podIP(s)} of a pod with a
   * network of its own stays deferred until a runtime makes the container in the pod's sandbox.
   * Refused: Secret and ConfigMap keys (API objects) and {@code resourceFieldRef}.
   */
  private EnvValue valueFrom(Map<String, Object> from, String path) {
    for (String ref : List.of("secretKeyRef", "configMapKeyRef")) {
      if (from.containsKey(ref)) {
        throw new FieldException(
            child(path, ref),
            "references a "
                + (ref.startsWith("secret") ? "Secret" : "ConfigMap")
                + "; since Kubernetes 1.34 static pods may not reference API objects (write the value inline)");
      }
    }
    if (from.containsKey("resourceFieldRef")) {
      throw new FieldException(
          child(path, "resourceFieldRef"),
          "is not supported by kubeboot's runner; write the value inline");
    }
    Map<String, Object> fieldRef =
        Fields.optMap(from, path, "fieldRef")
            .orElseThrow(
                () ->
                    new FieldException(
                        path,
                        "must set fieldRef (secretKeyRef, configMapKeyRef and resourceFieldRef are not supported)"));
    String fp = child(path, "fieldRef");
    String fieldPath = Fields.requiredString(fieldRef, fp, "fieldPath");
    Map<String, Object> metadata = Fields.map(pod, "", "metadata");
    Map<String, Object> spec = Fields.map(pod, "", "spec");
    switch (fieldPath) {
      case "metadata.name":
        return new EnvValue.Field(Fields.string(metadata, "metadata", "name"));
      case "metadata.namespace":
        return new EnvValue.Field(Fields.string(metadata, "metadata", "namespace"));
      case "metadata.uid":
        return new EnvValue.Field(Fields.string(metadata, "metadata", "uid"));
      case "spec.nodeName":
        return new EnvValue.Field(Fields.string(spec, "spec", "nodeName"));
      case "spec.serviceAccountName":
        return new EnvValue.Field("");
      case "status.hostIP", "status.hostIPs":
        return new EnvValue.Field(IpField.of(fieldPath).format(nodeIps));
      case "status.podIP", "status.podIPs":
        // A hostNetwork pod's IPs are the node's, known now; a pod with a network of its own gets
        // its IPs when its sandbox is made, after this read.
        return Fields.bool(spec, "spec", "hostNetwork")
            ? new EnvValue.Field(IpField.of(fieldPath).format(nodeIps))
            : new EnvValue.PodIPs(IpField.of(fieldPath));
      default:
        break;
    }
    Matcher m = LABEL_OR_ANNOTATION_REF.matcher(fieldPath);
    if (m.matches()) {
      return new EnvValue.Field(
          Fields.stringMap(metadata, "metadata", m.group(1)).getOrDefault(m.group(2), ""));
    }
    throw new FieldException(
        child(fp, "fieldPath"),
        "\""
            + fieldPath
            + "\" is not supported by kubeboot's runner; supported: metadata.name, metadata.namespace, metadata.uid, spec.nodeName, spec.serviceAccountName, metadata.labels['KEY'], metadata.annotations['KEY'], status.hostIP(s), status.podIP(s)");
  }

  private static Optional<Probe> probe(
      Map<String, Object> c,
      String path,
      String kind,
      List<ContainerPort> ports,
      boolean mustSucceedOnce) {
    Optional<Map<String, Object>> raw = Fields.optMap(c, path, kind);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Object> p = raw.get();
    String pp = child(path, kind);
    List<String> handlers = PROBE_HANDLERS.stream().filter(p::containsKey).toList();
    if (handlers.size() != 1) {
      throw new FieldException(
          pp,
          "must set exactly one of httpGet, tcpSocket, exec, grpc; found "
              + (handlers.isEmpty() ? "none" : String.join(" and ", handlers)));
    }
    ProbeAction action = handler(p, pp, handlers.get(0), ports);
    ProbeTiming d = ProbeTiming.DEFAULTS;
    int success =
        Fields.optInt(p, pp, "successThreshold", 1, Integer.MAX_VALUE).orElse(d.successThreshold());
    if (mustSucceedOnce && success != 1) {
      throw new FieldException(
          child(pp, "successThreshold"), "must be 1 for a " + kind + ", got " + success);
    }
    ProbeTiming timing =
        new ProbeTiming(
            Duration.ofSeconds(
                Fields.optInt(p, pp, "initialDelaySeconds", 0, Integer.MAX_VALUE).orElse(0)),
            Fields.optInt(p, pp, "periodSeconds", 1, Integer.MAX_VALUE)
                .map(Duration::ofSeconds)
                .orElse(d.period()),
            Fields.optInt(p, pp, "timeoutSeconds", 1, Integer.MAX_VALUE)
                .map(Duration::ofSeconds)
                .orElse(d.timeout()),
            success,
            Fields.optInt(p, pp, "failureThreshold", 1, Integer.MAX_VALUE)
                .orElse(d.failureThreshold()));
    Optional<Duration> grace =
        Fields.optLong(p, pp, "terminationGracePeriodSeconds", 1, Long.MAX_VALUE)
            .map(Duration::ofSeconds);
    if (grace.isPresent() && kind.equals("readinessProbe")) {
      throw new FieldException(
          child(pp, "terminationGracePeriodSeconds"), "must not be set on a readinessProbe");
    }
    return Optional.of(new Probe(action, timing, grace));
  }

  private static ProbeAction lifecycleHandler(
      Map<String, Object> h, String path, List<ContainerPort> ports) {
    List<String> handlers = LIFECYCLE_HANDLERS.stream().filter(h::containsKey).toList();
    if (handlers.size() != 1) {
      throw new FieldException(
          path,
          "must set exactly one of exec, httpGet, tcpSocket, sleep; found "
              + (handlers.isEmpty() ? "none" : String.join(" and ", handlers)));
    }
    if (handlers.get(0).equals("sleep")) {
      Map<String, Object> sleep = Fields.map(h, path, "sleep");
      long seconds =
          Fields.optLong(sleep, child(path, "sleep"), "seconds", 0, Long.MAX_VALUE)
              .orElseThrow(() -> new FieldException(child(path, "sleep.seconds"), "required"));
      return new ProbeAction.Sleep(Duration.ofSeconds(seconds));
    }
    return handler(h, path, handlers.get(0), ports);
  }

  private static ProbeAction handler(
      Map<String, Object> p, String path, String kind, List<ContainerPort> ports) {
    String hp = child(path, kind);
    Map<String, Object> h = Fields.map(p, path, kind);
    return switch (kind) {
      case "httpGet" -> {
        String scheme = Fields.string(h, hp, "scheme");
        if (!List.of("HTTP", "HTTPS").contains(scheme)) {
          throw Fields.notOneOf(child(hp, "scheme"), scheme, List.of("HTTP", "HTTPS"));
        }
        List<ProbeAction.HttpHeader> headers = new ArrayList<>();
        List<Map<String, Object>> rawHeaders = Fields.mapList(h, hp, "httpHeaders");
        for (int i = 0; i < rawHeaders.size(); i++) {
          String hh = index(child(hp, "httpHeaders"), i);
          headers.add(
              new ProbeAction.HttpHeader(
                  Fields.requiredString(rawHeaders.get(i), hh, "name"),
                  Fields.string(rawHeaders.get(i), hh, "value")));
        }
        yield new ProbeAction.HttpGet(
            scheme, host(h, hp), port(h, hp, ports), Fields.string(h, hp, "path"), headers);
      }
      case "tcpSocket" -> new ProbeAction.TcpSocket(host(h, hp), port(h, hp, ports));
      case "exec" -> {
        List<String> command = Fields.stringList(h, hp, "command");
        if (command.isEmpty()) {
          throw new FieldException(child(hp, "command"), "required: the command to run");
        }
        yield new ProbeAction.Exec(command);
      }
      case "grpc" -> {
        int port =
            Fields.optInt(h, hp, "port", 1, 65535)
                .orElseThrow(
                    () ->
                        new FieldException(
                            child(hp, "port"), "required: a port number between 1 and 65535"));
        yield new ProbeAction.Grpc(port, Fields.optString(h, hp, "service"));
      }
      default -> throw new IllegalStateException("unknown handler " + kind);
    };
  }

  private static Optional<String> host(Map<String, Object> h, String path) {
    return Fields.optString(h, path, "host").filter(s -> !s.isEmpty());
  }

  private static PortRef port(Map<String, Object> h, String path, List<ContainerPort> ports) {
    Object raw = h.get("port");
    String field = child(path, "port");
    if (raw == null) {
      throw new FieldException(field, "required: a port number or the name of a container port");
    }
    if (raw instanceof String name) {
      String why = Names.portName(name);
      if (!why.isEmpty()) {
        throw new FieldException(field, "\"" + name + "\" " + why);
      }
      if (ports.stream().noneMatch(p -> p.name().equals(name))) {
        throw new FieldException(
            field, "no container port named \"" + name + "\" in this container's ports");
      }
      return new PortRef.Named(name);
    }
    return new PortRef.Number(Fields.optInt(h, path, "port", 1, 65535).orElseThrow());
  }

  private static SecurityContext securityContext(
      Map<String, Object> sc, String path, SecurityContext inherited) {
    boolean privileged = Fields.optBool(sc, path, "privileged").orElse(inherited.privileged());
    Optional<Long> user = Fields.optLong(sc, path, "runAsUser", 0, Integer.MAX_VALUE);
    Optional<Long> group = Fields.optLong(sc, path, "runAsGroup", 0, Integer.MAX_VALUE);
    Fields.optBool(sc, path, "runAsNonRoot");
    return new SecurityContext(
        privileged, user.or(inherited::runAsUser), group.or(inherited::runAsGroup));
  }

  private static String dnsLabel(Map<String, Object> obj, String path, String key) {
    String value = Fields.requiredString(obj, path, key);
    String why = Names.dnsLabel(value);
    if (!why.isEmpty()) {
      throw new FieldException(child(path, key), "\"" + value + "\" " + why);
    }
    return value;
  }
}
