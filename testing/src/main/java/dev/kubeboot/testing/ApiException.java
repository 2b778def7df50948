package dev.kubeboot.testing;

/**
 * A request the API refuses, answered as kube-apiserver does: an HTTP code and a {@code v1 Status}
 * with the same reason and message wording, naming the object when there is one.
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int code;
  final String reason;
  private final String name;
  private final String group;
  private final String kind;

  private ApiException(
      int code, String reason, String message, String name, String group, String kind) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.name = name;
    this.group = group;
    this.kind = kind;
  }

  /** The {@code v1 Status} body. */
  String statusJson() {
    return kind.isEmpty()
        ? StatusJson.failure(code, reason, getMessage())
        : StatusJson.failure(code, reason, getMessage(), name, group, kind);
  }

  static ApiException notFound(ApiResource resource, String name) {
    return new ApiException(
        404,
        "NotFound",
        resource.qualified() + " \"" + name + "\" not found",
        name,
        resource.group(),
        resource.plural());
  }

  static ApiException alreadyExists(ApiResource resource, String name) {
    return new ApiException(
        409,
        "AlreadyExists",
        resource.qualified() + " \"" + name + "\" already exists",
        name,
        resource.group(),
        resource.plural());
  }

  /** 409 Conflict: a stale resourceVersion, or a failed precondition ({@code detail}). */
  static ApiException conflict(ApiResource resource, String name, String detail) {
    return new ApiException(
        409,
        "Conflict",
        "Operation cannot be fulfilled on " + resource.qualified() + " \"" + name + "\": " + detail,
        name,
        resource.group(),
        resource.plural());
  }

  static ApiException staleResourceVersion(ApiResource resource, String name) {
    return conflict(
        resource,
        name,
        "the object has been modified; please apply your changes to the latest version and try"
            + " again");
  }

  /** 422 Invalid: {@code <Kind> "<name>" is invalid: <field>: <problem>}. */
  static ApiException invalid(ApiResource resource, String name, String fieldProblem) {
    return new ApiException(
        422,
        "Invalid",
        resource.kind() + " \"" + name + "\" is invalid: " + fieldProblem,
        name,
        resource.group(),
        resource.kind());
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, "BadRequest", message, "", "", "");
  }

  static ApiException forbidden(String message) {
    return new ApiException(403, "Forbidden", message, "", "", "");
  }

  static ApiException forbidden(ApiResource resource, String name, String message) {
    return new ApiException(403, "Forbidden", message, name, resource.group(), resource.plural());
  }

  static ApiException unauthorized() {
    return new ApiException(401, "Unauthorized", "Unauthorized", "", "", "");
  }

  static ApiException notFoundPath(String message) {
    return new ApiException(404, "NotFound", message, "", "", "");
  }

  static ApiException methodNotAllowed(String message) {
    return new ApiException(405, "MethodNotAllowed", message, "", "", "");
  }

  static ApiException unsupportedMediaType(String message) {
    return new ApiException(415, "UnsupportedMediaType", message, "", "", "");
  }

  static ApiException tooLarge(String message) {
    return new ApiException(413, "RequestEntityTooLarge", message, "", "", "");
  }

  /** 410 Expired: a resourceVersion older than etcd's compacted history. */
  static ApiException expired(String message) {
    return new ApiException(410, "Expired", message, "", "", "");
  }

  /** 500 when etcd cannot be reached: kube-apiserver's storage timeout, naming etcd. */
  static ApiException storageUnavailable(String detail) {
    return new ApiException(500, "InternalError", "etcd: " + detail, "", "", "");
  }
}
