package dev.kubeboot.runner.manifest;

import java.util.function.Consumer;

/**
 * Where static pods come from. Every change publishes the whole desired set, never a delta, so a
 * lost event heals on the next publish.
 *
 * <p>Lifecycle: new -> {@link #start} (publishes the first snapshot before returning) -> running
 * (publishes on every change that alters the snapshot) -> {@link #close}.
 */
public interface ManifestSource extends AutoCloseable {
  void start(Consumer<ManifestSnapshot> listener);

  @Override
  void close();
}
