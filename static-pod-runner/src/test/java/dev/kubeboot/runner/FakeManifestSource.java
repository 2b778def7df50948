package dev.kubeboot.runner;

import dev.kubeboot.runner.manifest.ManifestSnapshot;
import dev.kubeboot.runner.manifest.ManifestSource;
import java.util.function.Consumer;

/** A manifest source a test publishes to by hand; the first snapshot is given at construction. */
public final class FakeManifestSource implements ManifestSource {
  private volatile ManifestSnapshot current;
  private volatile Consumer<ManifestSnapshot> listener;
  private volatile boolean closed;

  public FakeManifestSource(ManifestSnapshot first) {
    this.current = first;
  }

  @Override
  public void start(Consumer<ManifestSnapshot> l) {
    listener = l;
    l.accept(current);
  }

  public void publish(ManifestSnapshot snapshot) {
    current = snapshot;
    if (!closed) {
      listener.accept(snapshot);
    }
  }

  public boolean closed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
  }
}
