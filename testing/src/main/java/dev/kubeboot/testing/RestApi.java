package dev.kubeboot.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The stand-in's Kubernetes REST API over {@link ObjectStore}: what kubectl and client libraries
 * need around the objects — discovery and OpenAPI v3 ({@link Discovery}), server-side tables
 * ({@link Tables}), get/list (label and field selectors, limit/continue), create, update, the three
 * patch types, delete (with preconditions) and deletecollection, the {@code status} subresource,
 * {@code dryRun=All}, and watches (run by the caller with a {@link WatchSink}). Blocking: call it
 * off the event loop. Authentication and authorization happen before it.
 */
final class RestApi {
  /** One request, as read off the connection. */
  record Request(
      String method,
      String path,
      Map<String, List<String>> query,
      String contentType,
      String accept,
      byte[] body) {

    String param(String name) {
      List<String> values = query.get(name);
      return values == null || values.isEmpty() ? "" : values.getFirst();
    }

    boolean isWatch() {
      String watch = param("watch");
      return method.equals("GET")
          && (watch.equals("true") || watch.equals("1") || path.contains("/watch/"));
    }
  }

  /** The status code and JSON body of an answer. */
  record Response(int status, String body) {}

  private final JsonMapper json;
  private final Discovery discovery;
  private final Tables tables;
  private final ObjectStore store;
  private final Patches patches;
  private final ProtobufObjects protobuf;

  RestApi(JsonMapper json, Discovery discovery, Tables tables, ObjectStore store) {
    this.json = json;
    this.discovery = discovery;
    this.tables = tables;
    this.store = store;
    this.patches = new Patches(json);
    this.protobuf = new ProtobufObjects(json);
  }

  /** Answers a request that is not a watch; never throws. */
  Response serve(Request request) {
    try {
      return answer(request);
    } catch (ApiException e) {
      return new Response(e.code, e.statusJson());
    } catch (EtcdKv.UnavailableException e) {
      ApiException failure = ApiException.storageUnavailable(e.getMessage());
      return new Response(failure.code, failure.statusJson());
    }
  }

  private Response answer(Request request) {
    String path = request.path();
    if (request.method().equals("GET")) {
      Optional<String> document = discovery.document(path);
      if (document.isPresent()) {
        return new Response(200, document.get());
      }
    }
    Target target = target(path);
    ApiResource resource = target.resource();
    ApiPath p = target.path();
    boolean dryRun = request.param("dryRun").equals("All");
    return switch (request.method()) {
      case "GET" -> {
        JsonNode result =
            p.name().isEmpty()
                ? store.list(
                    resource, selection(request, target), limit(request), request.param("continue"))
                : store.get(resource, p.namespace(), p.name());
        if (Tables.wanted(request.accept())) {
          String include = request.param("includeObject");
          yield ok(200, tables.table(result, resource.kind(), include.isEmpty() ? null : include));
        }
        yield ok(200, result);
      }
      case "POST" -> {
        if (!p.name().isEmpty()) {
          throw ApiException.methodNotAllowed(
              "POST is not supported on a named " + resource.singular() + ": use PUT or PATCH");
        }
        yield ok(201, store.create(resource, p.namespace(), object(request), dryRun));
      }
      case "PUT" ->
          ok(
              200,
              store.update(
                  resource,
                  p.namespace(),
                  named(p, request),
                  p.subresource(),
                  object(request),
                  dryRun));
      case "PATCH" -> {
        Patches.Patch patch = patches.parse(request.contentType(), request.body());
        yield ok(
            200,
            store.patch(
                resource, p.namespace(), named(p, request), p.subresource(), patch, dryRun));
      }
      case "DELETE" ->
          p.name().isEmpty()
              ? ok(200, store.deleteCollection(resource, selection(request, target), dryRun))
              : ok(
                  200,
                  store.delete(resource, p.namespace(), p.name(), preconditions(request), dryRun));
      default ->
          throw ApiException.methodNotAllowed(
              request.method() + " is not supported by the kube-apiserver stand-in");
    };
  }

  /** Runs a watch request until the watcher goes; failures before the stream are thrown. */
  void watch(Request request, WatchSink sink) {
    Target target = target(request.path());
    if (!target.path().subresource().isEmpty()) {
      throw ApiException.methodNotAllowed("a subresource cannot be watched");
    }
    store.watch(
        target.resource(),
        selection(request, target),
        request.param("resourceVersion"),
        request.param("sendInitialEvents").equals("true"),
        sink);
  }

  /** The resource a path names, or 404 as kube-apiserver answers for what it does not serve. */
  private record Target(ApiPath path, ApiResource resource) {}

  private static Target target(String path) {
    ApiPath p =
        ApiPath.parse(path)
            .orElseThrow(
                () ->
                    ApiException.notFoundPath(
                        path.startsWith("/api") || path.startsWith("/openapi")
                            ? "the server could not find the requested resource"
                            : "404 page not found"));
    ApiResource resource =
        p.resource()
            .orElseThrow(
                () ->
                    ApiException.notFoundPath(
                        "the server could not find the requested resource (the stand-in serves "
                            + ApiResource.SERVED.stream().map(ApiResource::plural).toList()
                            + ")"));
    if (!resource.namespaced() && !p.namespace().isEmpty()) {
      throw ApiException.notFoundPath(
          "the server could not find the requested resource: "
              + resource.plural()
              + " are not namespaced");
    }
    if (resource.namespaced() && p.namespace().isEmpty() && !p.name().isEmpty()) {
      throw ApiException.notFoundPath(
          "the server could not find the requested resource: a named "
              + resource.singular()
              + " needs a namespace");
    }
    if (!p.subresource().isEmpty()
        && !(p.subresource().equals("status") && resource.statusSubresource())) {
      throw ApiException.notFoundPath(
          "the server could not find the requested resource: the stand-in serves no "
              + resource.plural()
              + "/"
              + p.subresource());
    }
    return new Target(p, resource);
  }

  private static ObjectStore.Selection selection(Request request, Target target) {
    return new ObjectStore.Selection(
        target.path().namespace(),
        target.path().name(),
        LabelSelector.parse(request.param("labelSelector")),
        FieldSelector.parse(request.param("fieldSelector"), target.resource().kind()));
  }

  private static String named(ApiPath p, Request request) {
    if (p.name().isEmpty()) {
      throw ApiException.methodNotAllowed(
          request.method() + " needs an object name in the path: " + request.path());
    }
    return p.name();
  }

  private static long limit(Request request) {
    String limit = request.param("limit");
    try {
      return limit.isEmpty() ? 0 : Math.max(0, Long.parseLong(limit));
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("limit: Invalid value: \"" + limit + "\": must be a number");
    }
  }

  private ObjectNode object(Request request) {
    String type = request.contentType() == null ? "" : request.contentType();
    if (ProtobufObjects.isProtobuf(type)) {
      return protobuf.read(request.body());
    }
    if (!type.isEmpty() && !type.startsWith("application/json") && !type.startsWith("*/*")) {
      throw ApiException.unsupportedMediaType(
          "the body of the request was in an unknown format ("
              + type
              + "): the stand-in reads"
              + " application/json and, for some kinds, "
              + ProtobufObjects.CONTENT_TYPE);
    }
    try {
      if (json.readTree(request.body()) instanceof ObjectNode object) {
        return object;
      }
    } catch (JacksonException e) {
      throw ApiException.badRequest("the request body is not JSON: " + e.getOriginalMessage());
    }
    throw ApiException.badRequest("the request body must be a JSON object");
  }

  private ObjectStore.Preconditions preconditions(Request request) {
    if (request.body().length == 0) {
      return ObjectStore.Preconditions.NONE;
    }
    try {
      JsonNode options = json.readTree(new String(request.body(), StandardCharsets.UTF_8));
      JsonNode pre = options.path("preconditions");
      return new ObjectStore.Preconditions(
          pre.path("uid").asString(""), pre.path("resourceVersion").asString(""));
    } catch (JacksonException e) {
      throw ApiException.badRequest(
          "the DeleteOptions body is not JSON: " + e.getOriginalMessage());
    }
  }

  private Response ok(int status, JsonNode body) {
    return new Response(status, json.writeValueAsString(body));
  }
}
