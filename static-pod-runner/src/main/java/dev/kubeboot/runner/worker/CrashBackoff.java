package dev.kubeboot.runner.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kubelet's container restart backoff: from exit to restart 0, 10, 20, 40, 80, 160, 300, 300
 * ... s; an exit more than 600 s after the previous restart starts over (restart at once, then 10
 * s).
 */
final class CrashBackoff {
  static final Duration INITIAL = Duration.ofSeconds(10);
  static final Duration MAX = Duration.ofSeconds(300);
  static final Duration RESET_AFTER = Duration.ofSeconds(600);

  /** Backoff identity, as the kubelet's: a new image or a new pod starts from zero. */
  record Key(String podUid, String container, String image) {}

  private record Entry(Instant lastRestart, Duration nextDelay) {}

  private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

  /** When to restart after an exit at {@code exitedAt}; records that restart. */
  Instant restartAt(Key key, Instant exitedAt) {
    Entry entry =
        entries.compute(
            key,
            (k, previous) -> {
              if (previous == null
                  || Duration.between(previous.lastRestart(), exitedAt).compareTo(RESET_AFTER)
                      > 0) {
                return new Entry(exitedAt, INITIAL);
              }
              Instant restart = exitedAt.plus(previous.nextDelay());
              Duration doubled = previous.nextDelay().multipliedBy(2);
              return new Entry(restart, doubled.compareTo(MAX) > 0 ? MAX : doubled);
            });
    return entry.lastRestart();
  }

  void forget(String podUid) {
    entries.keySet().removeIf(k -> k.podUid().equals(podUid));
  }

  /** A whole number of seconds the way Go prints a duration ("20s", "1m20s", "5m0s"). */
  static String goFormat(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m" + (s % 60) + "s";
    }
    return (s / 3600) + "h" + (s % 3600 / 60) + "m" + (s % 60) + "s";
  }
}
