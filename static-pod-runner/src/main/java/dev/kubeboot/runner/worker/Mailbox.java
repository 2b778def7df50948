package dev.kubeboot.runner.worker;

import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * A one-slot mailbox: the newest offer replaces a pending one, except that a pending sticky item (a
 * terminate) is never replaced, so a kill cannot be lost behind a later update.
 */
final class Mailbox<T> {
  // A lock rather than a monitor: a virtual thread waiting on a monitor pins its carrier on Java
  // 21.
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition filled = lock.newCondition();
  private final Predicate<T> sticky;
  private T pending;

  Mailbox(Predicate<T> sticky) {
    this.sticky = sticky;
  }

  void offer(T item) {
    Objects.requireNonNull(item, "item");
    lock.lock();
    try {
      if (pending != null && sticky.test(pending)) {
        return;
      }
      pending = item;
      filled.signalAll();
    } finally {
      lock.unlock();
    }
  }

  T take() throws InterruptedException {
    lock.lock();
    try {
      while (pending == null) {
        filled.await();
      }
      T item = pending;
      pending = null;
      return item;
    } finally {
      lock.unlock();
    }
  }
}
