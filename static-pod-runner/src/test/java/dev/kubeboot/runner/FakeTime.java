package dev.kubeboot.runner;

import dev.kubeboot.runner.worker.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A clock that moves only when a test says so, and a sleeper that wakes when it has moved far
 * enough.
 */
public final class FakeTime extends Clock implements Sleeper {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition moved = lock.newCondition();
  private Instant now;
  private int sleepers;

  public FakeTime() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  public FakeTime(Instant start) {
    this.now = start;
  }

  @Override
  public Instant instant() {
    lock.lock();
    try {
      return now;
    } finally {
      lock.unlock();
    }
  }

  public void advance(Duration d) {
    lock.lock();
    try {
      now = now.plus(d);
      moved.signalAll();
    } finally {
      lock.unlock();
    }
  }

  public void advanceSeconds(long seconds) {
    advance(Duration.ofSeconds(seconds));
  }

  @Override
  public void sleepUntil(Instant deadline) throws InterruptedException {
    lock.lock();
    try {
      sleepers++;
      while (now.isBefore(deadline)) {
        moved.await();
      }
    } finally {
      sleepers--;
      lock.unlock();
    }
  }

  /** How many threads wait in {@link #sleepUntil} right now. */
  public int sleepers() {
    lock.lock();
    try {
      return sleepers;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
