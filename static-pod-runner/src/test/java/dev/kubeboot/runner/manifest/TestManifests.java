package dev.kubeboot.runner.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** Shared test helpers: resources, a settable clock and a path reader for object trees. */
final class TestManifests {
  private TestManifests() {}

  static byte[] resource(String name) {
    try (InputStream in = TestManifests.class.getResourceAsStream("/manifests/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource /manifests/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A minimal valid pod named {@code name} running {@code image}. */
  static String pod(String name, String image) {
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
        spec:
          containers:
          - name: app
            image: %s
        """
        .formatted(name, image);
  }

  /** Reads {@code spec.containers[0].ports[1].name} style paths from a manifest tree. */
  static Object at(Map<String, Object> tree, String path) {
    Object node = tree;
    for (String part : path.split("\\.")) {
      String key = part;
      int bracket = part.indexOf('[');
      Integer index = null;
      if (bracket >= 0) {
        key = part.substring(0, bracket);
        index = Integer.parseInt(part.substring(bracket + 1, part.length() - 1));
      }
      node = ((Map<?, ?>) node).get(key);
      if (index != null) {
        node = ((List<?>) node).get(index);
      }
    }
    return node;
  }

  /** A clock tests move by hand. */
  static final class SettableClock extends Clock {
    private final AtomicReference<Instant> now;

    SettableClock(Instant start) {
      this.now = new AtomicReference<>(start);
    }

    void set(Instant instant) {
      now.set(instant);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }
}
