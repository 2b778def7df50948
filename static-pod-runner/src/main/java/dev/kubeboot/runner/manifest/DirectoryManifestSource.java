package dev.kubeboot.runner.manifest;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import dev.kubeboot.runner.fs.TrustedPaths;
import dev.kubeboot.runner.fs.UntrustedPathException;
import dev.kubeboot.runner.pod.StaticPod;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Static pods from a manifest directory (or one manifest file), as a kubelet's file source, with
 * kubeboot's rules (DESIGN.md section 6).
 *
 * <p>Reads {@code <dir>/*.yaml}, {@code *.yml} and {@code *.json} (symlinks followed, no recursion,
 * dotfiles and other names skipped and logged once); a path that is a regular file is read whatever
 * its name. A missing path means no pods. Files of more than 10 MiB are errors.
 *
 * <p>A manifest is code the runner runs, as root: a file is read only when it, and every directory
 * and link on the way to it (a symlink's target included), is owned by a trusted user and writable
 * by no one else ({@link TrustedPaths}); the kubelet follows any link, so a root-planted link to a
 * file another user owns would let that user run pods as root.
 *
 * <p>Re-reads on a {@link WatchService} event for the directory (and for the directory itself in
 * its parent, so a directory created, deleted or replaced is noticed), on OVERFLOW, and every
 * {@code fileCheckFrequency}. A relist re-reads only files whose size, modification time or file
 * key changed, or that an event named. A snapshot is published only when it differs from the last
 * one; since the UID hashes the decoded pod, not the bytes, a touch or a no-op write publishes
 * nothing.
 *
 * <p>The watch runs on one virtual thread; the listener is called on it (and once on the caller's
 * thread inside {@link #start}).
 */
public final class DirectoryManifestSource implements ManifestSource {
  /** The kubelet's default {@code fileCheckFrequency}. */
  public static final Duration DEFAULT_FILE_CHECK_FREQUENCY = Duration.ofSeconds(20);

  static final long MAX_FILE_BYTES = ManifestParser.MAX_BYTES;
  // Editors write in bursts (truncate, write, chmod): wait this long for the burst's next event,
  // and
  // never longer than MAX_DEBOUNCE in all, since an edit must reach a running pod within ~100 ms.
  private static final Duration DEBOUNCE = Duration.ofMillis(2);
  private static final Duration MAX_DEBOUNCE = Duration.ofMillis(10);
  private static final Logger log = LoggerFactory.getLogger(DirectoryManifestSource.class);

  private final Path path;
  private final String nodeName;
  private final Duration fileCheckFrequency;
  private final Clock clock;
  private final ManifestDecoder decoder;
  private final TrustedPaths trust;

  // Confined to the watch thread (and to the caller of start() before the thread exists).
  private final Map<Path, CachedFile> cache = new HashMap<>();
  private final Map<String, Instant> firstSeen = new HashMap<>();
  private final Set<Path> loggedSkips = new HashSet<>();
  private final SnapshotAssembler assembler = new SnapshotAssembler();
  private boolean loggedMissing;
  private ManifestSnapshot published;
  private Consumer<ManifestSnapshot> listener;
  private WatchService watcher;
  private Watched dirWatch;
  private Watched parentWatch;

  private final AtomicLong fileReads = new AtomicLong();
  private volatile boolean closed;
  private volatile Thread thread;

  /**
   * @param path the manifest directory, or one manifest file
   * @param nodeName this node's name: suffixes pod names and is part of every UID
   * @param fileCheckFrequency how often to relist without an event (kubelet default 20 s)
   * @param clock gives {@code kubernetes.io/config.seen} when a UID is first seen
   */
  public DirectoryManifestSource(
      Path path, String nodeName, Duration fileCheckFrequency, Clock clock) {
    this(path, nodeName, List.of(), fileCheckFrequency, clock, TrustedPaths.forThisProcess());
  }

  /**
   * As {@link #DirectoryManifestSource(Path, String, Duration, Clock)}, with the node's IPs and the
   * owners trusted to write manifests.
   *
   * @param nodeIps the node's IPs, primary first: what {@code status.hostIP} and a hostNetwork
   *     pod's {@code status.podIP} resolve to in {@code env[].valueFrom.fieldRef}
   * @param trust decides whether a manifest file, and the way to it, is safe to read
   */
  public DirectoryManifestSource(
      Path path,
      String nodeName,
      List<String> nodeIps,
      Duration fileCheckFrequency,
      Clock clock,
      TrustedPaths trust) {
    this.trust = Objects.requireNonNull(trust, "trust");
    this.path = path.toAbsolutePath().normalize();
    this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
    if (nodeName.isEmpty()) {
      throw new IllegalArgumentException("nodeName must not be empty");
    }
    if (fileCheckFrequency.isNegative() || fileCheckFrequency.isZero()) {
      throw new IllegalArgumentException(
          "fileCheckFrequency must be positive, got " + fileCheckFrequency);
    }
    this.fileCheckFrequency = fileCheckFrequency;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.decoder = new ManifestDecoder(clock, nodeIps);
  }

  @Override
  public synchronized void start(Consumer<ManifestSnapshot> listener) {
    if (this.listener != null) {
      throw new IllegalStateException("manifest source for " + path + " already started");
    }
    this.listener = Objects.requireNonNull(listener, "listener");
    try {
      watcher = path.getFileSystem().newWatchService();
    } catch (IOException e) {
      log.warn(
          "cannot watch {} ({}); relisting every {} only",
          path,
          e.getMessage(),
          fileCheckFrequency);
    }
    relist(new Changes(), true);
    thread = Thread.ofVirtual().name("manifest-source").start(this::loop);
  }

  @Override
  public void close() {
    closed = true;
    WatchService w = watcher;
    if (w != null) {
      try {
        w.close();
      } catch (IOException e) {
        log.debug("closing the watch on {}: {}", path, e.getMessage());
      }
    }
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      t.interrupt();
      try {
        if (!t.join(Duration.ofSeconds(5))) {
          log.warn("manifest source for {} did not stop within 5 s", path);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** How many times a manifest file's content was read (for tests of cheap relisting). */
  long fileReads() {
    return fileReads.get();
  }

  private void loop() {
    long nextRelist = System.nanoTime() + fileCheckFrequency.toNanos();
    try {
      while (!closed) {
        long wait = nextRelist - System.nanoTime();
        WatchKey key = wait > 0 ? poll(wait) : null;
        Changes touched = new Changes();
        boolean relevant;
        if (key == null) {
          relevant = true;
          nextRelist = System.nanoTime() + fileCheckFrequency.toNanos();
        } else {
          relevant = drain(key, touched);
          long deadline = System.nanoTime() + MAX_DEBOUNCE.toNanos();
          WatchKey more;
          while (System.nanoTime() < deadline && (more = poll(DEBOUNCE.toNanos())) != null) {
            relevant |= drain(more, touched);
          }
        }
        if (relevant && !closed) {
          relist(touched, false);
        }
      }
    } catch (ClosedWatchServiceException e) {
      // close() was called
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private WatchKey poll(long nanos) throws InterruptedException {
    if (watcher == null) {
      TimeUnit.NANOSECONDS.sleep(nanos);
      return null;
    }
    return watcher.poll(nanos, TimeUnit.NANOSECONDS);
  }

  /** Takes the key's events into {@code touched}; returns whether any concerns the manifests. */
  private boolean drain(WatchKey key, Changes touched) {
    boolean relevant = false;
    Path watchedDir = (Path) key.watchable();
    boolean isParent =
        parentWatch != null && parentWatch.key == key && (dirWatch == null || dirWatch.key != key);
    for (WatchEvent<?> event : key.pollEvents()) {
      if (event.kind() == OVERFLOW) {
        log.debug("watch on {} overflowed; relisting everything", watchedDir);
        touched.all = true;
        relevant = true;
      } else if (event.context() instanceof Path name) {
        Path full = watchedDir.resolve(name);
        // Temp files (kubeboot's own writer, editors' swap files) change no snapshot: no relist.
        boolean manifestName = ManifestFileFilter.skipReason(name.toString()).isEmpty();
        if (isParent ? full.equals(path) : manifestName) {
          touched.files.add(full);
          relevant = true;
        }
      }
    }
    if (!key.reset()) {
      relevant = true; // the watched directory is gone: relist re-registers
    }
    return relevant;
  }

  private void relist(Changes touched, boolean first) {
    try {
      registerWatches();
      if (touched.all) {
        cache.clear();
      } else {
        touched.files.forEach(cache::remove);
      }
      Map<Path, StaticPod> good = new TreeMap<>();
      Map<Path, ManifestError> bad = new TreeMap<>();
      Set<Path> present = new HashSet<>();
      readAll(good, bad, present);
      cache.keySet().retainAll(present);
      loggedSkips.retainAll(present);
      ManifestSnapshot next =
          assembler.assemble(
              good, bad, published == null ? new ManifestSnapshot(Map.of(), List.of()) : published);
      Set<String> uids = new HashSet<>(assembler.heldUids());
      firstSeen.keySet().retainAll(uids);
      if (closed && !first) {
        return; // an interrupted read during close() is no news for the listener
      }
      if (first || !next.equals(published)) {
        logNewErrors(next);
        published = next;
        publish(next);
      }
    } catch (RuntimeException e) {
      log.error(
          "relisting manifests in {} failed; retrying on the next change or within {}",
          path,
          fileCheckFrequency,
          e);
      if (first) {
        // start() promises a first snapshot; an empty one with the reason beats none
        published =
            new ManifestSnapshot(
                Map.of(), List.of(new ManifestError(path, path + ": cannot be listed: " + e)));
        publish(published);
      }
    }
  }

  // Each error once, when it appears, not again with every later snapshot.
  private void logNewErrors(ManifestSnapshot next) {
    Set<ManifestError> known = published == null ? Set.of() : Set.copyOf(published.errors());
    next.errors().stream()
        .filter(e -> !known.contains(e))
        .forEach(e -> log.warn("{}", e.message()));
  }

  private void publish(ManifestSnapshot snapshot) {
    try {
      listener.accept(snapshot);
    } catch (RuntimeException e) {
      log.error("manifest listener failed on a snapshot of {} pods", snapshot.pods().size(), e);
    }
  }

  private void readAll(Map<Path, StaticPod> good, Map<Path, ManifestError> bad, Set<Path> present) {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      if (!loggedMissing) {
        log.info("static pod path {} does not exist; no static pods until it does", path);
        loggedMissing = true;
      }
      return;
    } catch (IOException e) {
      bad.put(path, new ManifestError(path, path + ": cannot be read: " + reason(e)));
      return;
    }
    loggedMissing = false;
    if (attrs.isRegularFile()) {
      present.add(path);
      readFile(path, attrs, good, bad, present);
      return;
    }
    if (!attrs.isDirectory()) {
      bad.put(path, new ManifestError(path, path + ": is neither a directory nor a regular file"));
      return;
    }
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(path)) {
      stream.forEach(entries::add);
    } catch (IOException e) {
      bad.put(path, new ManifestError(path, path + ": cannot list the directory: " + reason(e)));
      return;
    } catch (java.nio.file.DirectoryIteratorException e) {
      bad.put(
          path,
          new ManifestError(path, path + ": cannot list the directory: " + reason(e.getCause())));
      return;
    }
    entries.sort(null);
    for (Path file : entries) {
      present.add(file);
      Optional<String> skip = ManifestFileFilter.skipReason(file.getFileName().toString());
      if (skip.isPresent()) {
        logSkip(file, skip.get());
        continue;
      }
      BasicFileAttributes fileAttrs;
      try {
        fileAttrs = Files.readAttributes(file, BasicFileAttributes.class);
      } catch (NoSuchFileException e) {
        if (Files.isSymbolicLink(file)) {
          bad.put(
              file, new ManifestError(file, file + ": is a symlink to a file that does not exist"));
        } else {
          present.remove(file); // deleted since the listing; its delete event follows
        }
        continue;
      } catch (IOException e) {
        bad.put(file, new ManifestError(file, file + ": cannot be read: " + reason(e)));
        continue;
      }
      if (fileAttrs.isDirectory()) {
        logSkip(file, "it is a directory (subdirectories are not read)");
        continue;
      }
      readFile(file, fileAttrs, good, bad, present);
    }
  }

  private void readFile(
      Path file,
      BasicFileAttributes attrs,
      Map<Path, StaticPod> good,
      Map<Path, ManifestError> bad,
      Set<Path> present) {
    if (!attrs.isRegularFile()) {
      bad.put(
          file,
          new ManifestError(
              file,
              file
                  + ": is not a regular file (a FIFO, socket or device?); a manifest is a regular file"));
      return;
    }
    if (attrs.size() > MAX_FILE_BYTES) {
      cache.remove(file);
      bad.put(file, tooLarge(file, attrs.size()));
      return;
    }
    CachedFile cached = cache.get(file);
    try {
      // Checked on every relist, not only on a cache miss: a chown or chmod of a link's target
      // elsewhere raises no event in the manifest directory.
      Path real = trust.requireTrusted(file);
      if (cached == null || !cached.matches(attrs)) {
        byte[] content = readCapped(real);
        if (content.length > MAX_FILE_BYTES) {
          cache.remove(file);
          bad.put(file, tooLarge(file, content.length));
          return;
        }
        cached =
            new CachedFile(
                attrs.fileKey(), attrs.size(), attrs.lastModifiedTime(), decode(file, content));
        cache.put(file, cached);
      }
    } catch (UntrustedPathException e) {
      cache.remove(file);
      bad.put(file, new ManifestError(file, file + ": not read: " + e.getMessage()));
      return;
    } catch (NoSuchFileException e) {
      present.remove(file);
      return;
    } catch (IOException e) {
      cache.remove(file);
      bad.put(file, new ManifestError(file, file + ": cannot be read: " + reason(e)));
      return;
    }
    switch (cached.result) {
      case StaticPod pod -> good.put(file, pod);
      case ManifestError error -> bad.put(file, error);
      default -> throw new IllegalStateException("unexpected cached result " + cached.result);
    }
  }

  private Object decode(Path file, byte[] content) {
    try {
      return decoder.decode(
          content, file, nodeName, uid -> firstSeen.computeIfAbsent(uid, u -> clock.instant()));
    } catch (ManifestException e) {
      return e.toError();
    }
  }

  private byte[] readCapped(Path file) throws IOException {
    fileReads.incrementAndGet();
    // The path is resolved and every directory on the way is trusted: a link here would be new.
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      return in.readNBytes((int) MAX_FILE_BYTES + 1);
    }
  }

  private static ManifestError tooLarge(Path file, long size) {
    return new ManifestError(
        file,
        file
            + ": is "
            + size
            + " bytes, more than the limit of "
            + MAX_FILE_BYTES
            + " (10 MiB) for a manifest");
  }

  // Dotfiles are hidden by design (temp files of writers and editors): only worth a debug line.
  // Other names, like x.yaml.bak, may be a user's mistake: say so once.
  private void logSkip(Path file, String why) {
    if (loggedSkips.add(file)) {
      if (file.getFileName().toString().startsWith(".")) {
        log.debug("skipping {}: {}", file, why);
      } else {
        log.info("skipping {}: {}", file, why);
      }
    }
  }

  private static String reason(Throwable e) {
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    return String.valueOf(e.getMessage());
  }

  private void registerWatches() {
    if (watcher == null) {
      return;
    }
    Path parent = path.getParent();
    parentWatch = ensureWatched(parentWatch, parent);
    dirWatch = ensureWatched(dirWatch, Files.isDirectory(path) ? path : null);
  }

  /**
   * Keeps {@code current} when it still watches {@code dir}'s directory, else (re-)registers it.
   */
  private Watched ensureWatched(Watched current, Path dir) {
    Object fileKey = null;
    if (dir != null) {
      try {
        BasicFileAttributes attrs = Files.readAttributes(dir, BasicFileAttributes.class);
        fileKey = attrs.isDirectory() ? attrs.fileKey() : null;
      } catch (IOException e) {
        fileKey = null;
      }
    }
    if (current != null
        && current.key.isValid()
        && fileKey != null
        && fileKey.equals(current.fileKey)) {
      return current;
    }
    if (current != null) {
      current.key.cancel();
    }
    if (dir == null || fileKey == null) {
      return null;
    }
    try {
      WatchKey key = dir.register(watcher, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
      return new Watched(key, fileKey);
    } catch (IOException | UnsupportedOperationException e) {
      log.warn("cannot watch {} ({}); relisting every {}", dir, e.getMessage(), fileCheckFrequency);
      return null;
    } catch (ClosedWatchServiceException e) {
      return null;
    }
  }

  private record Watched(WatchKey key, Object fileKey) {}

  /**
   * What the events since the last relist named: files to re-read whatever their attributes say.
   */
  private static final class Changes {
    final Set<Path> files = new HashSet<>();
    boolean all;
  }

  /** A file's last read: re-read when its identity, size or modification time differs. */
  private record CachedFile(Object fileKey, long size, FileTime modified, Object result) {
    boolean matches(BasicFileAttributes attrs) {
      return Objects.equals(fileKey, attrs.fileKey())
          && size == attrs.size()
          && modified.equals(attrs.lastModifiedTime());
    }
  }
}
