package dev.kubeboot.testing;

import java.util.Objects;

/** The outcome of one named health check; {@code detail} says why a failed check failed. */
record CheckResult(boolean healthy, String detail) {
  CheckResult {
    Objects.requireNonNull(detail, "detail");
  }

  static CheckResult ok() {
    return new CheckResult(true, "ok");
  }

  static CheckResult failed(String detail) {
    return new CheckResult(false, detail);
  }
}
