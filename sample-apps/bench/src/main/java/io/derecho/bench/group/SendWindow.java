package io.derecho.bench.group;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Application-level send window: a sender may have at most {@code window} of its own DATA
 * messages outstanding (sent, not yet delivered back to itself). {@code window <= 0} disables it.
 */
public final class SendWindow {

  private final Semaphore permits;

  public SendWindow(int window) {
    this.permits = window > 0 ? new Semaphore(window) : null;
  }

  public boolean enabled() {
    return permits != null;
  }

  /** Takes a slot, waiting until {@code deadlineNanos}; false on timeout. */
  public boolean acquire(long deadlineNanos) throws InterruptedException {
    if (permits == null) {
      return true;
    }
    long left = deadlineNanos - System.nanoTime();
    return left > 0 && permits.tryAcquire(left, TimeUnit.NANOSECONDS);
  }

  /** Frees a slot: call when one of our own DATA messages is delivered to us. */
  public void release() {
    if (permits != null) {
      permits.release();
    }
  }
}
