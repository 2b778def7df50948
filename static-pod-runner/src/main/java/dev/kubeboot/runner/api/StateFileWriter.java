package dev.kubeboot.runner.api;

import dev.kubeboot.runner.fs.AtomicWriter;
import dev.kubeboot.runner.status.RunnerStatus;
import dev.kubeboot.runner.status.StatusJson;
import dev.kubeboot.runner.status.StatusStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors the status store into {@code <stateDir>/status.json} so {@code kubeboot status} can read
 * it without HTTP. Writes go through {@link AtomicWriter} and are coalesced: a burst of changes is
 * written at most once per {@link #MIN_INTERVAL}, always ending with the latest snapshot.
 */
public final class StateFileWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StateFileWriter.class);
  public static final String FILE_NAME = "status.json";
  static final Duration MIN_INTERVAL = Duration.ofMillis(100);
  private static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-r--r--");

  private final Path file;
  private final StatusStore store;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final AutoCloseable subscription;
  private final Thread thread;
  private boolean dirty = true;
  private boolean closed;

  private StateFileWriter(Path file, StatusStore store) {
    this.file = file;
    this.store = store;
    this.subscription = store.addListener(s -> markDirty());
    this.thread = Thread.ofVirtual().name("state-file-writer").start(this::loop);
  }

  /**
   * Writes the current status now and keeps the file up to date until closed.
   *
   * @throws IOException the state directory cannot be created or written
   */
  public static StateFileWriter start(Path stateDir, StatusStore store) throws IOException {
    Files.createDirectories(stateDir);
    Path file = stateDir.resolve(FILE_NAME);
    AtomicWriter.removeLeftovers(file, Instant.now());
    write(file, store.current());
    return new StateFileWriter(file, store);
  }

  public Path file() {
    return file;
  }

  private void markDirty() {
    lock.lock();
    try {
      dirty = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    try {
      while (true) {
        lock.lock();
        try {
          while (!dirty && !closed) {
            changed.await();
          }
          if (!dirty) {
            return;
          }
          dirty = false;
        } finally {
          lock.unlock();
        }
        writeQuietly();
        Thread.sleep(MIN_INTERVAL);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void writeQuietly() {
    try {
      write(file, store.current());
    } catch (IOException e) {
      LOG.warn("cannot write the state file {}: {}", file, e.toString());
    }
  }

  static void write(Path file, RunnerStatus status) throws IOException {
    AtomicWriter.write(file, StatusJson.write(status).getBytes(StandardCharsets.UTF_8), MODE);
  }

  /** Stops following changes after writing the latest snapshot once more. */
  @Override
  public void close() {
    try {
      subscription.close();
    } catch (Exception e) {
      LOG.debug("unsubscribing the state file writer", e);
    }
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    thread.interrupt();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writeQuietly();
  }
}
