package io.derecho.bench.ratis;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;
import org.apache.ratis.client.api.AsyncApi;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * Closed-loop write load through Ratis' {@link AsyncApi}: {@code callers} increments in flight,
 * each replaced by the next as soon as its reply arrives, for a ramp (not measured) and then a
 * measured window.
 *
 * <p>Every increment carries a delta in [1, 1000] from a seeded generator and is padded to the
 * argument size. The load keeps, across runs, the sum of the deltas of all acknowledged
 * increments and the highest log index acknowledged: after the last reply, every replica's counter
 * must equal that sum. A failed request stops its caller and is counted; its effect is unknown,
 * so a run with failures cannot be checked exactly.
 *
 * <p>Sends and replies are handled on one thread of its own, never on Ratis' threads.
 */
public final class RatisLoad implements AutoCloseable {

  /**
   * One measured run.
   *
   * @param callers requests kept in flight
   * @param sizeBytes bytes of every increment request
   * @param writes increments acknowledged inside the measured window
   * @param seconds length of the measured window
   * @param p50Micros median latency (send to reply) of those writes, in microseconds
   * @param p99Micros 99th percentile latency
   * @param maxMicros worst latency
   * @param failures requests that failed (after Ratis' own retries), over ramp and window
   * @param firstError the first failure, or empty
   */
  public record Outcome(int callers, int sizeBytes, long writes, double seconds,
      double p50Micros, double p99Micros, double maxMicros, long failures, String firstError) {

    public double writesPerSec() {
      return seconds > 0 ? writes / seconds : Double.NaN;
    }

    /** Argument bytes acknowledged per second, in MB (10^6 bytes). */
    public double mbPerSec() {
      return writesPerSec() * sizeBytes / 1e6;
    }
  }

  private final AsyncApi api;
  private final SplittableRandom random;
  private final ExecutorService loop;

  // Touched only on the loop thread.
  private long ackedSum;
  private long ackedCount;
  private long maxIndex = -1;

  public RatisLoad(AsyncApi api, long seed) {
    this.api = api;
    this.random = new SplittableRandom(seed);
    this.loop = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "ratis-load");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Runs {@code callers} in flight for {@code ramp} then {@code window}, then waits up to {@code
   * drain} for the requests still in flight.
   */
  public Outcome run(int callers, int sizeBytes, Duration ramp, Duration window, Duration drain)
      throws Exception {
    if (callers < 1) {
      throw new IllegalArgumentException("callers must be >= 1, got " + callers);
    }
    CounterCodec.increment(0, sizeBytes); // validates the size before anything is sent
    Run run = new Run(callers, sizeBytes, ramp, window);
    loop.execute(run::start);
    try {
      run.done.get(ramp.plus(window).plus(drain).toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new TimeoutException("run " + callers + " callers / " + sizeBytes + " B: "
          + onLoop(() -> run.outstanding) + " requests still in flight " + drain
          + " after the window");
    }
    return onLoop(run::outcome);
  }

  /** Sum of the deltas of every increment acknowledged so far (all runs). */
  public long ackedSum() throws Exception {
    return onLoop(() -> ackedSum);
  }

  /** Increments acknowledged so far (all runs). */
  public long ackedCount() throws Exception {
    return onLoop(() -> ackedCount);
  }

  /** Highest log index acknowledged so far, -1 if none. */
  public long maxIndex() throws Exception {
    return onLoop(() -> maxIndex);
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }

  private <T> T onLoop(java.util.concurrent.Callable<T> c) throws Exception {
    return loop.submit(c).get(30, TimeUnit.SECONDS);
  }

  /** State of one run; every method runs on the loop thread. */
  private final class Run {
    final int callers;
    final int size;
    final long rampNanos;
    final long windowNanos;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final Histogram latency = new Histogram(3);
    long recordFrom;
    long stopAt;
    long outstanding;
    long failures;
    String firstError = "";
    long writes;

    Run(int callers, int size, Duration ramp, Duration window) {
      this.callers = callers;
      this.size = size;
      this.rampNanos = ramp.toNanos();
      this.windowNanos = window.toNanos();
    }

    void start() {
      long now = System.nanoTime();
      recordFrom = now + rampNanos;
      stopAt = recordFrom + windowNanos;
      for (int i = 0; i < callers; i++) {
        issue();
      }
    }

    void issue() {
      if (System.nanoTime() >= stopAt) {
        finishIfIdle();
        return;
      }
      long delta = 1 + random.nextInt(1000);
      Message m = Message.valueOf(
          UnsafeByteOperations.unsafeWrap(CounterCodec.increment(delta, size)));
      outstanding++;
      long t0 = System.nanoTime();
      CompletableFuture<RaftClientReply> f;
      try {
        f = api.send(m);
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      f.whenCompleteAsync((reply, err) -> onReply(t0, delta, reply, err), loop);
    }

    void onReply(long t0, long delta, RaftClientReply reply, Throwable err) {
      long t1 = System.nanoTime();
      outstanding--;
      String problem = err != null ? String.valueOf(err)
          : !reply.isSuccess() ? String.valueOf(reply.getException()) : null;
      if (problem == null) {
        try {
          CounterCodec.decodeIncrementReply(reply.getMessage().getContent().asReadOnlyByteBuffer());
        } catch (IllegalArgumentException e) {
          problem = "bad reply: " + e.getMessage();
        }
      }
      if (problem != null) {
        failures++;
        if (firstError.isEmpty()) {
          firstError = problem;
        }
        finishIfIdle(); // this caller stops
        return;
      }
      ackedSum += delta;
      ackedCount++;
      maxIndex = Math.max(maxIndex, reply.getLogIndex());
      if (t1 >= recordFrom && t1 <= stopAt) {
        writes++;
        latency.recordValue(Math.max(1, t1 - t0));
      }
      issue();
    }

    void finishIfIdle() {
      if (outstanding == 0 && System.nanoTime() >= stopAt) {
        done.complete(null);
      } else if (outstanding == 0 && failures >= callers) {
        done.complete(null); // every caller has stopped
      }
    }

    Outcome outcome() {
      boolean any = latency.getTotalCount() > 0;
      return new Outcome(callers, size, writes, windowNanos / 1e9,
          any ? latency.getValueAtPercentile(50) / 1e3 : Double.NaN,
          any ? latency.getValueAtPercentile(99) / 1e3 : Double.NaN,
          any ? latency.getMaxValue() / 1e3 : Double.NaN,
          failures, firstError);
    }
  }
}
