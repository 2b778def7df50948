package dev.kubeboot.testing;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes objects kept in etcd the way kube-apiserver keeps them: one key per object under
 * {@code <prefix>/<storagePath>/[<namespace>/]<name>} (JSON values, as with {@code
 * --storage-media-type=application/json}, resourceVersion not stored), {@code
 * metadata.resourceVersion} = the key's etcd mod_revision, a list's = the revision it read. Writes
 * are compare-and-swap transactions, so several API servers on one etcd never overwrite each other:
 * creating an existing object is 409 AlreadyExists, an update or patch carrying a stale
 * resourceVersion (or a delete with a failed precondition) is 409 Conflict, and an update without
 * one retries on the newest version. A write that changes nothing writes nothing. Watches are etcd
 * watches from the requested revision, so they see every API server's writes.
 */
final class ObjectStore {
  private static final Logger log = LoggerFactory.getLogger(ObjectStore.class);
  private static final int MAX_ATTEMPTS = 50;
  private static final String GENERATE_CHARS = "bcdfghjklmnpqrstvwxz2456789";

  /** Namespaces kube-apiserver refuses to delete (NamespaceLifecycle's immortal ones). */
  static final Set<String> IMMORTAL_NAMESPACES = Set.of("default", "kube-system", "kube-public");

  /** Preconditions of a delete ({@code DeleteOptions.preconditions}); empty strings: none. */
  record Preconditions(String uid, String resourceVersion) {
    static final Preconditions NONE = new Preconditions("", "");
  }

  /** What a list or watch selects. */
  record Selection(String namespace, String name, LabelSelector labels, FieldSelector fields) {
    boolean matches(ObjectNode object, String kind) {
      JsonNode metadata = object.path("metadata");
      if (!name.isEmpty() && !name.equals(metadata.path("name").asString(""))) {
        return false;
      }
      Map<String, String> labelMap = new HashMap<>();
      metadata
          .path("labels")
          .properties()
          .forEach(e -> labelMap.put(e.getKey(), e.getValue().asString("")));
      return labels.matches(labelMap) && fields.matches(object, kind);
    }
  }

  private final EtcdKv etcd;
  private final String prefix;
  private final JsonMapper json;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  ObjectStore(EtcdKv etcd, String prefix, JsonMapper json, Clock clock) {
    this.etcd = etcd;
    this.prefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    this.json = json;
    this.clock = clock;
  }

  String key(ApiResource resource, String namespace, String name) {
    return collection(resource, namespace) + name;
  }

  /** The key prefix of a collection: every namespace when {@code namespace} is empty. */
  String collection(ApiResource resource, String namespace) {
    return prefix
        + "/"
        + resource.storagePath()
        + "/"
        + (resource.namespaced() && !namespace.isEmpty() ? namespace + "/" : "");
  }

  ObjectNode get(ApiResource resource, String namespace, String name) {
    return find(resource, namespace, name).orElseThrow(() -> ApiException.notFound(resource, name));
  }

  Optional<ObjectNode> find(ApiResource resource, String namespace, String name) {
    return etcd.get(key(resource, namespace, name)).flatMap(this::decode);
  }

  /**
   * A list of what {@code selection} picks, at most {@code limit} items (0: all), continuing after
   * {@code continueToken} at the revision the first page read.
   */
  ObjectNode list(ApiResource resource, Selection selection, long limit, String continueToken) {
    long atRevision = 0;
    String after = "";
    if (!continueToken.isEmpty()) {
      try {
        JsonNode token = json.readTree(Base64.getUrlDecoder().decode(continueToken));
        atRevision = token.path("rv").asLong(0);
        after = token.path("start").asString("");
      } catch (IllegalArgumentException | JacksonException e) {
        throw ApiException.badRequest("continue key is not valid: " + e.getMessage());
      }
    }
    EtcdKv.Range range;
    try {
      range = etcd.range(collection(resource, selection.namespace()), atRevision);
    } catch (EtcdKv.CompactedException e) {
      throw ApiException.expired(
          "The provided continue parameter is too old to display a consistent list result. You"
              + " can start a new list without the continue parameter.");
    }
    long listRevision = atRevision > 0 ? atRevision : range.revision();
    ObjectNode list =
        json.createObjectNode()
            .put("kind", resource.kind() + "List")
            .put("apiVersion", resource.groupVersion());
    ObjectNode metadata =
        list.putObject("metadata").put("resourceVersion", Long.toString(listRevision));
    var items = list.putArray("items");
    String lastKey = "";
    long remaining = 0;
    for (EtcdKv.KeyValue kv : range.kvs()) {
      if (kv.key().compareTo(after) <= 0) {
        continue;
      }
      Optional<ObjectNode> object = decode(kv);
      if (object.isEmpty() || !selection.matches(object.get(), resource.kind())) {
        continue;
      }
      if (limit > 0 && items.size() >= limit) {
        remaining++;
        continue;
      }
      items.add(object.get());
      lastKey = kv.key();
    }
    if (remaining > 0) {
      ObjectNode token = json.createObjectNode().put("rv", listRevision).put("start", lastKey);
      metadata.put(
          "continue",
          Base64.getUrlEncoder().withoutPadding().encodeToString(json.writeValueAsBytes(token)));
      metadata.put("remainingItemCount", remaining);
    }
    return list;
  }

  /** Creates {@code body} in {@code namespace}: identity metadata set, strategy applied. */
  ObjectNode create(ApiResource resource, String namespace, ObjectNode body, boolean dryRun) {
    ObjectNode object = body.deepCopy();
    checkKind(resource, object);
    ObjectNode metadata = metadata(object);
    if (resource.namespaced()) {
      String given = metadata.path("namespace").asString("");
      if (!given.isEmpty() && !given.equals(namespace)) {
        throw ApiException.badRequest(
            "the namespace of the provided object does not match the namespace sent on the"
                + " request");
      }
      metadata.put("namespace", namespace);
    } else {
      metadata.remove("namespace");
    }
    String name = metadata.path("name").asString("");
    String generateName = metadata.path("generateName").asString("");
    if (name.isEmpty() && !generateName.isEmpty()) {
      StringBuilder suffix = new StringBuilder();
      for (int i = 0; i < 5; i++) {
        suffix.append(GENERATE_CHARS.charAt(random.nextInt(GENERATE_CHARS.length())));
      }
      name = generateName + suffix;
      metadata.put("name", name);
    }
    String problem = resource.nameProblem(name).orElse(null);
    if (problem != null) {
      throw ApiException.invalid(resource, name, "metadata.name: " + problem);
    }
    if (resource.namespaced() && etcd.get(key(ApiResource.NAMESPACES, "", namespace)).isEmpty()) {
      throw ApiException.notFound(ApiResource.NAMESPACES, namespace);
    }
    metadata.put("uid", UUID.randomUUID().toString());
    metadata.put("creationTimestamp", now());
    for (String cleared :
        List.of("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink")) {
      metadata.remove(cleared);
    }
    ResourceStrategy.prepareForCreate(resource, object);
    byte[] value = encode(object);
    String key = key(resource, namespace, name);
    if (dryRun) {
      if (etcd.get(key).isPresent()) {
        throw ApiException.alreadyExists(resource, name);
      }
      return object;
    }
    EtcdKv.Txn txn = etcd.putIfAbsent(key, value);
    if (!txn.succeeded()) {
      throw ApiException.alreadyExists(resource, name);
    }
    metadata.put("resourceVersion", Long.toString(txn.revision()));
    return object;
  }

  /** Creates {@code object} unless its key exists: what the API server's own start-up writes. */
  boolean createIfAbsent(ApiResource resource, ObjectNode object) {
    try {
      create(resource, object.path("metadata").path("namespace").asString(""), object, false);
      return true;
    } catch (ApiException e) {
      if (e.code == 409) {
        return false;
      }
      throw e;
    }
  }

  /** Replaces the object (or, with {@code subresource} "status", its status) with {@code body}. */
  ObjectNode update(
      ApiResource resource,
      String namespace,
      String name,
      String subresource,
      ObjectNode body,
      boolean dryRun) {
    checkKind(resource, body);
    JsonNode bodyMeta = body.path("metadata");
    String bodyName = bodyMeta.path("name").asString("");
    if (!bodyName.isEmpty() && !bodyName.equals(name)) {
      throw ApiException.badRequest(
          "the name of the object ("
              + bodyName
              + ") does not match the name on the URL ("
              + name
              + ")");
    }
    String bodyNamespace = bodyMeta.path("namespace").asString("");
    if (resource.namespaced() && !bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) {
      throw ApiException.badRequest(
          "the namespace of the provided object does not match the namespace sent on the"
              + " request");
    }
    return mutate(
        resource,
        namespace,
        name,
        dryRun,
        stored -> {
          ObjectNode updated = body.deepCopy();
          ObjectNode metadata = metadata(updated);
          metadata.put("name", name);
          if (resource.namespaced()) {
            metadata.put("namespace", namespace);
          }
          checkPreconditions(resource, name, stored, metadata);
          return ResourceStrategy.prepareForUpdate(resource, subresource, stored, updated);
        });
  }

  /** Applies {@code patch} to the newest version, retrying when another writer got there first. */
  ObjectNode patch(
      ApiResource resource,
      String namespace,
      String name,
      String subresource,
      Patches.Patch patch,
      boolean dryRun) {
    return mutate(
        resource,
        namespace,
        name,
        dryRun,
        stored -> {
          JsonNode patched = patch.applyTo(stored, resource, name);
          if (!(patched instanceof ObjectNode object)) {
            throw ApiException.invalid(resource, name, "the patched object is not a JSON object");
          }
          ObjectNode metadata = metadata(object);
          if (!name.equals(metadata.path("name").asString(name))
              || (resource.namespaced()
                  && !namespace.equals(metadata.path("namespace").asString(namespace)))) {
            throw ApiException.invalid(
                resource,
                name,
                "metadata.name: Invalid value: the patch may not rename the object");
          }
          checkKind(resource, object);
          checkPreconditions(resource, name, stored, metadata);
          return ResourceStrategy.prepareForUpdate(resource, subresource, stored, object);
        });
  }

  /** A stale resourceVersion or another UID in the written object is a conflict, as in kube. */
  private static void checkPreconditions(
      ApiResource resource, String name, ObjectNode stored, ObjectNode metadata) {
    String rv = metadata.path("resourceVersion").asString("");
    String storedRv = stored.path("metadata").path("resourceVersion").asString("");
    if (!rv.isEmpty() && !rv.equals(storedRv)) {
      throw ApiException.staleResourceVersion(resource, name);
    }
    String uid = metadata.path("uid").asString("");
    String storedUid = stored.path("metadata").path("uid").asString("");
    if (!uid.isEmpty() && !uid.equals(storedUid)) {
      throw ApiException.conflict(
          resource,
          name,
          "Precondition failed: UID in precondition: "
              + uid
              + ", UID in object meta: "
              + storedUid);
    }
  }

  private ObjectNode mutate(
      ApiResource resource,
      String namespace,
      String name,
      boolean dryRun,
      UnaryOperator<ObjectNode> change) {
    String key = key(resource, namespace, name);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      EtcdKv.KeyValue current =
          etcd.get(key).orElseThrow(() -> ApiException.notFound(resource, name));
      ObjectNode stored = decode(current).orElseThrow(() -> ApiException.notFound(resource, name));
      ObjectNode desired = change.apply(stored.deepCopy());
      byte[] value = encode(desired);
      if (Arrays.equals(value, current.value()) || dryRun) {
        ObjectNode result = dryRun ? desired : stored;
        metadata(result).put("resourceVersion", Long.toString(current.modRevision()));
        return result;
      }
      EtcdKv.Txn txn = etcd.putIfUnchanged(key, current.modRevision(), value);
      if (txn.succeeded()) {
        metadata(desired).put("resourceVersion", Long.toString(txn.revision()));
        return desired;
      }
      if (txn.current().isEmpty()) {
        throw ApiException.notFound(resource, name);
      }
      // Another writer got in between: read again; a pinned resourceVersion now fails the check.
    }
    throw ApiException.conflict(
        resource, name, "the object changed " + MAX_ATTEMPTS + " times while this write retried");
  }

  /** Deletes the object at once (no graceful deletion, no finalizers) and returns it. */
  ObjectNode delete(
      ApiResource resource,
      String namespace,
      String name,
      Preconditions preconditions,
      boolean dryRun) {
    if (resource.equals(ApiResource.NAMESPACES) && IMMORTAL_NAMESPACES.contains(name)) {
      throw ApiException.forbidden(
          resource,
          name,
          "namespaces \"" + name + "\" is forbidden: this namespace may not be deleted");
    }
    String key = key(resource, namespace, name);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      EtcdKv.KeyValue current =
          etcd.get(key).orElseThrow(() -> ApiException.notFound(resource, name));
      ObjectNode stored = decode(current).orElseThrow(() -> ApiException.notFound(resource, name));
      JsonNode meta = stored.path("metadata");
      if (!preconditions.uid().isEmpty()
          && !preconditions.uid().equals(meta.path("uid").asString(""))) {
        throw ApiException.conflict(
            resource,
            name,
            "Precondition failed: UID in precondition: "
                + preconditions.uid()
                + ", UID in object meta: "
                + meta.path("uid").asString(""));
      }
      if (!preconditions.resourceVersion().isEmpty()
          && !preconditions.resourceVersion().equals(meta.path("resourceVersion").asString(""))) {
        throw ApiException.conflict(
            resource,
            name,
            "Precondition failed: ResourceVersion in precondition: "
                + preconditions.resourceVersion()
                + ", ResourceVersion in meta: "
                + meta.path("resourceVersion").asString(""));
      }
      if (dryRun) {
        return stored;
      }
      EtcdKv.Txn txn = etcd.deleteIfUnchanged(key, current.modRevision());
      if (txn.succeeded()) {
        if (resource.equals(ApiResource.NAMESPACES)) {
          // The namespace controller's work, done at once: the namespace's objects go with it.
          for (ApiResource served : ApiResource.SERVED) {
            if (served.namespaced()) {
              etcd.deletePrefix(collection(served, name));
            }
          }
        }
        return stored;
      }
      if (txn.current().isEmpty()) {
        throw ApiException.notFound(resource, name);
      }
    }
    throw ApiException.conflict(
        resource, name, "the object changed " + MAX_ATTEMPTS + " times while the delete retried");
  }

  /** Deletes what {@code selection} picks; returns the list of deleted objects. */
  ObjectNode deleteCollection(ApiResource resource, Selection selection, boolean dryRun) {
    ObjectNode list = list(resource, selection, 0, "");
    var deleted = json.createArrayNode();
    for (JsonNode item : list.path("items")) {
      String name = item.path("metadata").path("name").asString("");
      String namespace = item.path("metadata").path("namespace").asString("");
      try {
        deleted.add(delete(resource, namespace, name, Preconditions.NONE, dryRun));
      } catch (ApiException e) {
        if (e.code != 404) {
          throw e;
        }
      }
    }
    list.set("items", deleted);
    return list;
  }

  /**
   * Streams changes to what {@code selection} picks into {@code sink} until the sink closes or
   * etcd's stream ends. {@code resourceVersion} empty or "0" (or {@code sendInitialEvents}) first
   * sends every current object as ADDED (then, with sendInitialEvents, a BOOKMARK marking the end
   * of them); otherwise events after that revision are replayed from etcd's history, and a revision
   * etcd has compacted away ends the watch with a 410 Expired ERROR event, as in kube-apiserver. An
   * object that starts or stops matching a selector is ADDED or DELETED.
   */
  void watch(
      ApiResource resource,
      Selection selection,
      String resourceVersion,
      boolean sendInitialEvents,
      WatchSink sink) {
    String collection = collection(resource, selection.namespace());
    // One object when its key is known: a name, and its namespace if the kind has one.
    boolean exact =
        !selection.name().isEmpty() && (!resource.namespaced() || !selection.namespace().isEmpty());
    String watched = exact ? collection + selection.name() : collection;
    long start;
    if (resourceVersion.isEmpty() || resourceVersion.equals("0") || sendInitialEvents) {
      EtcdKv.Range range;
      try {
        range = etcd.range(collection, 0);
      } catch (EtcdKv.CompactedException e) {
        throw new IllegalStateException("etcd cannot compact the latest revision", e);
      }
      for (EtcdKv.KeyValue kv : range.kvs()) {
        Optional<ObjectNode> object = decode(kv);
        if (object.isPresent()
            && selection.matches(object.get(), resource.kind())
            && !sink.send("ADDED", object.get())) {
          return;
        }
      }
      if (sendInitialEvents) {
        ObjectNode bookmark =
            json.createObjectNode()
                .put("kind", resource.kind())
                .put("apiVersion", resource.groupVersion());
        ObjectNode meta =
            bookmark.putObject("metadata").put("resourceVersion", Long.toString(range.revision()));
        meta.putObject("annotations").put("k8s.io/initial-events-end", "true");
        sink.send("BOOKMARK", bookmark);
      }
      start = range.revision() + 1;
    } else {
      try {
        start = Long.parseLong(resourceVersion) + 1;
      } catch (NumberFormatException e) {
        throw ApiException.badRequest(
            "resourceVersion: Invalid value: \"" + resourceVersion + "\": must be a number");
      }
    }
    if (sink.closed()) {
      return;
    }
    try (EtcdKv.Watch stream = etcd.watch(watched, exact, start)) {
      sink.onClose(stream::close);
      sink.started();
      while (!sink.closed()) {
        Optional<List<EtcdKv.Event>> events = stream.next();
        if (events.isEmpty()) {
          return;
        }
        for (EtcdKv.Event event : events.get()) {
          if (!deliver(resource, selection, event, sink)) {
            return;
          }
        }
      }
    } catch (EtcdKv.CompactedException e) {
      sink.send(
          "ERROR",
          json.readTree(
              ApiException.expired(
                      "too old resource version: " + (start - 1) + " (" + e.compactRevision + ")")
                  .statusJson()));
    } catch (java.io.IOException e) {
      if (!sink.closed()) {
        log.debug("watch of {} ended: {}", watched, e.toString());
      }
    }
  }

  private boolean deliver(
      ApiResource resource, Selection selection, EtcdKv.Event event, WatchSink sink) {
    String kind = resource.kind();
    if (event.deleted()) {
      Optional<ObjectNode> previous = event.prev().flatMap(this::decode);
      if (previous.isPresent() && selection.matches(previous.get(), kind)) {
        metadata(previous.get()).put("resourceVersion", Long.toString(event.kv().modRevision()));
        return sink.send("DELETED", previous.get());
      }
      return true;
    }
    Optional<ObjectNode> current = decode(event.kv());
    if (current.isEmpty()) {
      return true;
    }
    boolean now = selection.matches(current.get(), kind);
    boolean created = event.kv().version() == 1;
    boolean before =
        !created
            && event
                .prev()
                .flatMap(this::decode)
                .map(p -> selection.matches(p, kind))
                .orElse(false);
    if (now && before) {
      return sink.send("MODIFIED", current.get());
    } else if (now) {
      return sink.send("ADDED", current.get());
    } else if (before) {
      return sink.send("DELETED", current.get());
    }
    return true;
  }

  private Optional<ObjectNode> decode(EtcdKv.KeyValue kv) {
    try {
      if (json.readTree(kv.value()) instanceof ObjectNode object) {
        metadata(object).put("resourceVersion", Long.toString(kv.modRevision()));
        return Optional.of(object);
      }
    } catch (JacksonException e) {
      // not written by a stand-in (a real kube-apiserver stores protobuf): skip it
    }
    log.warn("etcd key {} does not hold a JSON object; skipped", kv.key());
    return Optional.empty();
  }

  /** The stored form: the object without resourceVersion and selfLink, as kube-apiserver stores. */
  private byte[] encode(ObjectNode object) {
    ObjectNode copy = object.deepCopy();
    ObjectNode metadata = metadata(copy);
    metadata.remove("resourceVersion");
    metadata.remove("selfLink");
    return json.writeValueAsString(copy).getBytes(StandardCharsets.UTF_8);
  }

  private static void checkKind(ApiResource resource, ObjectNode object) {
    String kind = object.path("kind").asString("");
    String apiVersion = object.path("apiVersion").asString("");
    if ((!kind.isEmpty() && !kind.equals(resource.kind()))
        || (!apiVersion.isEmpty() && !apiVersion.equals(resource.groupVersion()))) {
      throw ApiException.badRequest(
          "the object is "
              + (apiVersion.isEmpty() ? "" : apiVersion + " ")
              + (kind.isEmpty() ? "(no kind)" : kind)
              + ", but this URL serves "
              + resource.groupVersion()
              + " "
              + resource.kind());
    }
    if (kind.isEmpty() || apiVersion.isEmpty()) {
      ObjectNode typed =
          object
              .objectNode()
              .put("apiVersion", resource.groupVersion())
              .put("kind", resource.kind());
      List<Map.Entry<String, JsonNode>> rest = new ArrayList<>(object.properties());
      object.removeAll();
      object.setAll(typed);
      rest.stream()
          .filter(e -> !e.getKey().equals("kind") && !e.getKey().equals("apiVersion"))
          .forEach(e -> object.set(e.getKey(), e.getValue()));
    }
  }

  private static ObjectNode metadata(ObjectNode object) {
    return object.get("metadata") instanceof ObjectNode metadata
        ? metadata
        : object.putObject("metadata");
  }

  private String now() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    return now.toString();
  }
}
