package io.derecho.bench.group;

import io.derecho.bench.BenchConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.HdrHistogram.Histogram;

/**
 * Receive side of a group member: feed it every delivered message (in delivery order) and it
 * counts, times, checks FIFO per sender, hashes the order and records send-to-delivery latency.
 * Thread-safe (deliveries are serialised on an internal lock).
 */
public final class DeliveryTracker implements PayloadSink {

  private final BenchConfig cfg;
  private final int myRank;
  private final int senders;
  private final long[] nextSeq;
  private final long[] endCount;
  private final Histogram histogram = Latency.newHistogram();
  private final OrderDigest digest = new OrderDigest();
  private volatile Runnable ownDeliveryListener = () -> {};
  private long delivered;
  private long bytes;
  private long firstNanos;
  private long lastNanos;
  private long fifoViolations;
  private long foreign;
  private int ends;
  private int warmupEnds;

  public DeliveryTracker(BenchConfig cfg, int myRank) {
    this.cfg = cfg;
    this.myRank = myRank;
    this.senders = cfg.senderCount();
    this.nextSeq = new long[cfg.nodes()];
    this.endCount = new long[cfg.nodes()];
    Arrays.fill(endCount, -1);
  }

  /** Called (on the delivering thread) for each of this member's own DATA/WARMUP messages. */
  public void onOwnDelivery(Runnable listener) {
    this.ownDeliveryListener = listener == null ? () -> {} : listener;
  }

  @Override
  public void deliver(byte[] buf, int off, int len) {
    long now = System.nanoTime();
    if (len < Payload.HEADER) {
      synchronized (this) {
        foreign++;
      }
      return;
    }
    record(Payload.kind(buf, off), Payload.sender(buf, off), Payload.seq(buf, off),
        Payload.sentNanos(buf, off), len, now);
  }

  /** Convenience for systems delivering ByteBuffers (reads position..limit, does not move it). */
  public void deliver(ByteBuffer msg) {
    long now = System.nanoTime();
    int len = msg.remaining();
    if (len < Payload.HEADER) {
      synchronized (this) {
        foreign++;
      }
      return;
    }
    ByteBuffer b = msg.duplicate().order(ByteOrder.BIG_ENDIAN);
    int p = b.position();
    record(b.get(p), b.getInt(p + 1), b.getLong(p + 5), b.getLong(p + 13), len, now);
  }

  private void record(byte kind, int sender, long seq, long sentNanos, int len, long now) {
    boolean own = false;
    synchronized (this) {
      if (sender < 0 || sender >= nextSeq.length) {
        foreign++;
        return;
      }
      if (kind == Payload.DATA) {
        if (delivered == 0) {
          firstNanos = now;
        }
        lastNanos = now;
        delivered++;
        bytes += len;
        if (seq != nextSeq[sender]) {
          fifoViolations++;
        }
        nextSeq[sender] = seq + 1;
        digest.update(sender, seq);
        Latency.recordNanos(histogram, now - sentNanos);
        own = sender == myRank;
      } else if (kind == Payload.END) {
        if (endCount[sender] < 0) {
          endCount[sender] = seq;
          ends++;
          notifyAll();
        }
      } else if (kind == Payload.WARMUP) {
        own = sender == myRank;
      } else if (kind == Payload.WARMUP_END) {
        warmupEnds++;
        notifyAll();
      } else {
        foreign++;
      }
    }
    if (own) {
      ownDeliveryListener.run();
    }
  }

  /** True once every sender's END was delivered. */
  public synchronized boolean allEndsSeen() {
    return ends >= senders;
  }

  /**
   * Waits until every sender's END has been delivered or {@code deadlineNanos} (a nanoTime)
   * passes; returns whether all ENDs were seen.
   */
  public synchronized boolean awaitEnds(long deadlineNanos) throws InterruptedException {
    while (ends < senders) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  /** Waits until every sender's WARMUP_END has been delivered or the deadline passes. */
  public synchronized boolean awaitWarmupEnds(long deadlineNanos) throws InterruptedException {
    while (warmupEnds < senders) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  public synchronized long delivered() {
    return delivered;
  }

  /** Builds this member's report. {@code extraNote} is appended to the computed notes. */
  public synchronized MemberReport report(String system, long sent, String extraNote) {
    StringBuilder note = new StringBuilder();
    long expected = 0;
    int missingEnds = 0;
    for (int r = 0; r < endCount.length; r++) {
      if (cfg.isSender(r)) {
        if (endCount[r] < 0) {
          missingEnds++;
        } else {
          expected += endCount[r];
        }
      }
    }
    if (missingEnds > 0) {
      note.append("no END from ").append(missingEnds).append(" sender(s); ");
      expected = -1;
    }
    boolean complete = missingEnds == 0 && delivered == expected;
    if (missingEnds == 0 && delivered != expected) {
      note.append("delivered ").append(delivered).append(" of ").append(expected).append("; ");
    }
    if (fifoViolations > 0) {
      note.append(fifoViolations).append(" FIFO violations; ");
    }
    if (foreign > 0) {
      note.append(foreign).append(" unrecognised messages; ");
    }
    if (extraNote != null && !extraNote.isBlank()) {
      note.append(extraNote);
    }
    String n = note.toString().trim();
    if (n.endsWith(";")) {
      n = n.substring(0, n.length() - 1);
    }
    return new MemberReport(system, myRank, sent, delivered, bytes, expected,
        delivered > 0 ? firstNanos : 0, delivered > 0 ? lastNanos : 0, fifoViolations,
        digest.hex(), Latency.encode(histogram), complete && fifoViolations == 0, n);
  }
}
