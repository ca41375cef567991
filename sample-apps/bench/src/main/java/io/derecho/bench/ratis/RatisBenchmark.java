package io.derecho.bench.ratis;

import io.derecho.bench.Sizes;
import io.derecho.bench.launch.ProcessLauncher;
import io.derecho.bench.ratis.CounterCodec.CounterState;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * The Ratis write benchmark: starts a cluster, warms up, runs every (size, callers) pair for a
 * fixed window, and after each run reads the counter on every replica and compares it with the
 * sum of the acknowledged increments. Always stops the cluster and deletes its storage.
 */
public final class RatisBenchmark {

  /**
   * What to run.
   *
   * @param nodes Ratis servers
   * @param transport RPC implementation
   * @param callers requests in flight, one run per value (and per size)
   * @param sizes increment request sizes in bytes
   * @param warmup most unmeasured load before the first run (split over the sizes; it stops
   *     early once throughput is stable)
   * @param ramp unmeasured start of every run
   * @param window measured part of every run
   * @param overall limit on the whole benchmark; runs that would not fit are skipped
   * @param heap {@code -Xmx} of the server JVMs
   * @param overrides raw Ratis settings on top of {@link RatisSettings}
   * @param seed seed of the increment deltas
   */
  public record Plan(int nodes, RatisSettings.Transport transport, List<Integer> callers,
      List<Integer> sizes, Duration warmup, Duration ramp, Duration window, Duration overall,
      String heap, Map<String, String> overrides, long seed) {
    public Plan {
      callers = List.copyOf(callers);
      sizes = List.copyOf(sizes);
      overrides = Map.copyOf(overrides);
      for (int c : callers) {
        if (c < 1) {
          throw new IllegalArgumentException("callers must be >= 1, got " + c);
        }
      }
      for (int s : sizes) {
        if (s < CounterCodec.MIN_INCREMENT_SIZE) {
          throw new IllegalArgumentException("size " + s + " below the increment's own "
              + CounterCodec.MIN_INCREMENT_SIZE + " bytes");
        }
      }
      if (callers.isEmpty() || sizes.isEmpty()) {
        throw new IllegalArgumentException("need at least one callers value and one size");
      }
    }

    int maxCallers() {
      return Collections.max(callers);
    }

    /** The same plan with another overall limit. */
    public Plan withOverall(Duration newOverall) {
      return new Plan(nodes, transport, callers, sizes, warmup, ramp, window, newOverall, heap,
          overrides, seed);
    }
  }

  /**
   * The counter on every replica after a run, against what the client was told.
   *
   * @param expected sum of the deltas of every acknowledged increment so far
   * @param acked increments acknowledged so far
   * @param index highest log index acknowledged
   * @param values counter read at each replica (id to value)
   */
  public record CounterCheck(long expected, long acked, long index, Map<String, Long> values) {
    public boolean matches() {
      return !values.isEmpty() && values.values().stream().allMatch(v -> v == expected);
    }

    public String describe() {
      if (matches()) {
        return "counter=" + expected + " on " + values.size() + "/" + values.size() + " replicas";
      }
      return "COUNTER MISMATCH: acked sum " + expected + ", replicas " + values;
    }
  }

  /** One line of the table. */
  public record Row(RatisLoad.Outcome outcome, CounterCheck check, boolean ok, String note) {}

  /**
   * Everything the benchmark did.
   *
   * @param transport the RPC implementation the cluster used
   * @param rows one per run, in order (skipped or failed runs included)
   * @param finalCheck the counter check after the last run, null if none ran
   * @param pids the server processes it started
   * @param storageRoot where the servers' logs lived (deleted by now)
   * @param logDir server stdout/stderr
   * @param leader the leader the client ended with
   * @param error why the benchmark stopped early, or empty
   */
  public record Report(RatisSettings.Transport transport, List<Row> rows, CounterCheck finalCheck,
      List<Long> pids, Path storageRoot, Path logDir, String leader, String error) {
    public boolean ok() {
      return error.isEmpty() && !rows.isEmpty() && rows.stream().allMatch(Row::ok)
          && finalCheck != null && finalCheck.matches();
    }
  }

  private static final Duration DRAIN = Duration.ofSeconds(30);
  private static final Duration WARMUP_CHUNK = Duration.ofSeconds(5);
  private static final double WARMUP_STABLE = 0.10;
  private static final int WARMUP_AGREE = 3;
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private RatisBenchmark() {}

  /** As {@link #run(Plan, ProcessLauncher, PrintStream, Consumer)} without a row listener. */
  public static Report run(Plan plan, ProcessLauncher launcher, PrintStream progress) {
    return run(plan, launcher, progress, r -> { });
  }

  /**
   * Runs the plan; progress lines go to {@code progress}, each finished row to {@code onRow}.
   * Never leaves a server running.
   */
  public static Report run(Plan plan, ProcessLauncher launcher, PrintStream progress,
      Consumer<Row> onRow) {
    long deadline = System.nanoTime() + plan.overall().toNanos();
    List<Row> rows = new ArrayList<>();
    CounterCheck last = null;
    String error = "";
    List<Long> pids = List.of();
    Path storage = null;
    Path logs = null;
    String leader = "";
    RatisCluster.Options opts = new RatisCluster.Options(plan.nodes(), plan.transport(),
        plan.heap(), plan.overrides(), plan.maxCallers(), START_TIMEOUT,
        plan.overall().plus(Duration.ofMinutes(2)));
    RatisCluster cluster = null;
    try {
      long t0 = System.nanoTime();
      cluster = RatisCluster.start(launcher, opts);
      pids = cluster.pids();
      storage = cluster.storageRoot();
      logs = cluster.logDir();
      progress.printf(Locale.ROOT, "ratis: %d servers up (pids %s), leader %s, in %.1f s;"
              + " storage %s, logs %s%n", plan.nodes(), pids, cluster.leader(),
          (System.nanoTime() - t0) / 1e9, storage, logs);
      try (RatisLoad load = new RatisLoad(cluster.client().async(), plan.seed())) {
        warmUp(plan, load, progress);
        int total = plan.sizes().size() * plan.callers().size();
        int k = 0;
        for (int size : plan.sizes()) {
          for (int callers : plan.callers()) {
            k++;
            Duration need = plan.ramp().plus(plan.window()).plus(READ_TIMEOUT);
            if (System.nanoTime() + need.toNanos() > deadline) {
              rows.add(skipped(callers, size, "skipped: --timeout " + plan.overall()
                  + " reached"));
              onRow.accept(rows.get(rows.size() - 1));
              progress.printf("[%d/%d] ratis callers=%d size=%s skipped (overall timeout)%n", k,
                  total, callers, Sizes.format(size));
              continue;
            }
            progress.printf("[%d/%d] ratis callers=%d size=%s ...%n", k, total, callers,
                Sizes.format(size));
            long r0 = System.nanoTime();
            RatisLoad.Outcome o = load.run(callers, size, plan.ramp(), plan.window(), DRAIN);
            last = check(cluster, load);
            boolean ok = o.failures() == 0 && last.matches();
            String note = o.failures() == 0 ? last.describe()
                : o.failures() + " failed requests (first: " + o.firstError() + "); "
                    + last.describe();
            rows.add(new Row(o, last, ok, note));
            onRow.accept(rows.get(rows.size() - 1));
            progress.printf(Locale.ROOT, "[%d/%d] done in %.1f s: %.0f writes/s, p50 %.0f us,"
                    + " p99 %.0f us, %s%n", k, total, (System.nanoTime() - r0) / 1e9,
                o.writesPerSec(), o.p50Micros(), o.p99Micros(), ok ? "ok" : "FAIL: " + note);
          }
        }
      }
      leader = String.valueOf(cluster.leader());
    } catch (Exception e) {
      error = e.toString();
      progress.println("ratis: stopped early: " + e);
    } finally {
      if (cluster != null) {
        try {
          cluster.close();
        } catch (RuntimeException e) {
          error = error.isEmpty() ? "cleanup: " + e : error + "; cleanup: " + e;
        }
      }
    }
    return new Report(plan.transport(), rows, last, pids, storage, logs, leader, error);
  }

  /**
   * Load at the highest concurrency, per size, in chunks of up to {@link #WARMUP_CHUNK} until the
   * last {@link #WARMUP_AGREE} chunks agree within {@link #WARMUP_STABLE} (the JIT of all JVMs has
   * settled; a slow climb does not pass for a plateau) or the size's share of {@code
   * plan.warmup()} is spent. On a busy 2-core machine that takes 20-60 s.
   */
  private static void warmUp(Plan plan, RatisLoad load, PrintStream progress) throws Exception {
    if (plan.warmup().isZero() || plan.warmup().isNegative()) {
      return;
    }
    Duration budget = plan.warmup().dividedBy(plan.sizes().size());
    Duration chunk = WARMUP_CHUNK.compareTo(budget.dividedBy(2)) < 0 ? WARMUP_CHUNK
        : budget.dividedBy(2);
    for (int size : plan.sizes()) {
      long end = System.nanoTime() + budget.toNanos();
      List<Double> rates = new ArrayList<>();
      while (end - System.nanoTime() >= chunk.toNanos()) {
        RatisLoad.Outcome o = load.run(plan.maxCallers(), size, Duration.ZERO, chunk, DRAIN);
        rates.add(o.writesPerSec());
        boolean stable = settled(rates);
        progress.printf(Locale.ROOT, "[warmup] callers=%d size=%s %.1f s: %.0f writes/s%s%s%n",
            plan.maxCallers(), Sizes.format(size), chunk.toMillis() / 1e3, o.writesPerSec(),
            stable ? " (stable)" : "",
            o.failures() == 0 ? "" : ", " + o.failures() + " failed (" + o.firstError() + ")");
        if (stable) {
          break;
        }
      }
    }
  }

  /** True when the last {@link #WARMUP_AGREE} rates lie within {@link #WARMUP_STABLE}. */
  static boolean settled(List<Double> rates) {
    if (rates.size() < WARMUP_AGREE) {
      return false;
    }
    List<Double> last = rates.subList(rates.size() - WARMUP_AGREE, rates.size());
    double max = Collections.max(last);
    double min = Collections.min(last);
    return max > 0 && max - min <= WARMUP_STABLE * max;
  }

  private static CounterCheck check(RatisCluster cluster, RatisLoad load) throws Exception {
    long index = load.maxIndex();
    Map<RaftPeerId, CounterState> read = cluster.readEvery(Math.max(0, index), READ_TIMEOUT);
    Map<String, Long> values = new LinkedHashMap<>();
    read.forEach((id, s) -> values.put(id.toString(), s.value()));
    return new CounterCheck(load.ackedSum(), load.ackedCount(), index, values);
  }

  private static Row skipped(int callers, int size, String why) {
    return new Row(new RatisLoad.Outcome(callers, size, 0, 0, Double.NaN, Double.NaN,
        Double.NaN, 0, ""), null, false, why);
  }
}
