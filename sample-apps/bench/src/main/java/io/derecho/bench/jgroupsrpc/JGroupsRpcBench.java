package io.derecho.bench.jgroupsrpc;

import io.derecho.bench.launch.Ports;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The JGroups peer of {@code io.derecho.bench.rpc.RpcBench}: ordered RPC among 3 members through a
 * JGroups 5.5 {@code RpcDispatcher}. This process is member 0 and the callers; members 1 and 2 are
 * separate processes ({@link JGroupsRpcMember}). For each argument size and number of concurrent
 * callers (each with one call in flight, waiting for every member's reply) it reports calls/s and
 * the latency p50/p99, measured as RpcBench measures them (a 3 s warm-up run first, then per case
 * 0.5 s unmeasured and {@code --seconds} measured, HdrHistogram {@link Recorder}, µs).
 *
 * <p>{@code derecho-bench jgroups-rpc [--seconds 5] [--callers 1,4,16] [--sizes 100,10240]}
 *
 * <p>Semantics: {@code callRemoteMethods(null, call, SYNC with GET_ALL)} multicasts the call to
 * the whole group; SEQUENCER totally orders it; every member, the caller included, runs {@code
 * CountingSink.apply(byte[])} and replies, and the call returns when all 3 replies are in — the
 * same contract as an ordered Derecho call waiting for all replies. Methods are addressed by id
 * and run through a {@code MethodInvoker} (no reflection; see {@link CountingSink}).
 *
 * <p>Settings (the multicast benchmark's {@code JGroupsStack} defaults, reused unchanged so both
 * JGroups results share one tuning):
 *
 * <ul>
 *   <li>TCP on 127.0.0.1, one fixed port per member: the same loopback transport as the other
 *       systems; {@code tcp_nodelay=true} so a lone request or reply is not held back by Nagle.
 *   <li>{@code bundler_type=pd} (PerDestinationBundler, JGroups 5.5's default), {@code
 *       bundler.max_size=64K}: with one caller it sends at once (no batching delay), with many it
 *       packs concurrent requests and replies into one write.
 *   <li>Socket buffers 4 MiB (send and receive) and 64 KiB stream buffers: a 10 KiB argument times
 *       16 callers never waits for buffer space on loopback.
 *   <li>UFC/MFC {@code max_credits=8M}, {@code min_threshold=0.4}: credits far above what 16
 *       one-in-flight callers can have outstanding (16 x 10 KiB), so flow control never throttles
 *       the measurement but stays in the stack as in any real deployment.
 *   <li>TCPPING with the 3 ports, {@code port_range=0}; GMS {@code join_timeout=1000}: no
 *       discovery delays. This process joins first, so it is the coordinator and therefore the
 *       sequencer: the callers' requests need no forwarding hop (the best case for SEQUENCER, as in
 *       the multicast benchmark, where rank 0 is also started first).
 *   <li>NAKACK2/UNICAST3 {@code xmit_interval=500}, STABLE {@code max_bytes=16M}: retransmission
 *       is irrelevant on loopback; stability gossip purges buffers regularly.
 *   <li>FD_ALL3 {@code timeout=60s}: no false suspicion on a loaded 2-core machine. No FD_SOCK2.
 *   <li>FRAG4 {@code frag_size=60K}: 10 KiB arguments are never fragmented.
 *   <li>Requests are regular messages (not OOB, which SEQUENCER would not order), no {@code
 *       DONT_BUNDLE}; call timeout 10 s (a timed-out call fails the run).
 * </ul>
 *
 * <p>Member JVMs get the RPC benchmark's member flags ({@code -Xmx512m -XX:+UseParallelGC}).
 */
public final class JGroupsRpcBench {

  /** What to run. */
  public record Plan(Duration seconds, Duration caseWarmup, Duration initialWarmup,
      List<Integer> callers, List<Integer> sizes, String classpath, Path runDir, Duration limit) {

    public Plan {
      callers = List.copyOf(callers);
      sizes = List.copyOf(sizes);
      if (callers.isEmpty() || callers.stream().anyMatch(c -> c < 1)) {
        throw new IllegalArgumentException("--callers must be positive counts, got " + callers);
      }
      if (sizes.isEmpty() || sizes.stream().anyMatch(s -> s < 0)) {
        throw new IllegalArgumentException("--sizes must be byte counts >= 0, got " + sizes);
      }
      if (seconds.isNegative() || seconds.isZero()) {
        throw new IllegalArgumentException("--seconds must be positive, got " + seconds);
      }
    }

    /** RpcBench's timings, with a total limit that leaves room for setup and every case. */
    static Plan of(int seconds, List<Integer> callers, List<Integer> sizes, String classpath,
        Path runDir) {
      Duration s = Duration.ofSeconds(seconds);
      Duration warm = Duration.ofMillis(500);
      Duration initial = Duration.ofSeconds(3);
      int cases = callers.size() * sizes.size();
      Duration limit = Duration.ofSeconds(120).plus(initial)
          .plus(s.plus(warm).plusSeconds(15).multipliedBy(cases));
      return new Plan(s, warm, initial, callers, sizes, classpath, runDir, limit);
    }
  }

  /** One measured case: {@code calls} completed in {@code seconds}. */
  public record Row(String what, int callers, int size, long calls, double seconds, double p50us,
      double p99us) {
    public String line() {
      return String.format(Locale.ROOT, "%-40s %12.0f %10.1f %10.1f", what, calls / seconds, p50us,
          p99us);
    }
  }

  /** The outcome: the rows, the final count check and the pids of the member processes. */
  public record Report(List<Row> rows, SinkCounts counts, List<Long> pids, Path runDir) {}

  private static final Duration SETUP = Duration.ofSeconds(60);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private JGroupsRpcBench() {}

  public static void main(String[] args) throws Exception {
    System.exit(runMain(args));
  }

  /** Runs the benchmark as the command line asks and prints its table; returns the exit code. */
  public static int runMain(String[] args) throws Exception {
    int seconds = 5;
    List<Integer> callers = List.of(1, 4, 16);
    List<Integer> sizes = List.of(100, 10240);
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + args[i] + " needs a value");
      }
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--callers" -> callers = ints(args[i + 1]);
        case "--sizes" -> sizes = ints(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + " (use --seconds, --callers, --sizes)");
      }
    }
    Path runDir = Files.createTempDirectory("jgroups-rpc");
    Plan plan = Plan.of(seconds, callers, sizes, System.getProperty("java.class.path"), runDir);
    Report report;
    try {
      report = run(plan, System.err);
    } catch (Throwable t) {
      System.err.println("jgroups-rpc FAILED (member logs in " + runDir + "): " + t);
      t.printStackTrace(System.err);
      return 1;
    }
    System.out.println("JGroups RpcDispatcher, SEQUENCER total order, among 3 members"
        + " (this process is member 0 and the callers); latency in µs");
    System.out.printf("%-40s %12s %10s %10s%n", "case", "calls/s", "p50", "p99");
    report.rows().forEach(r -> System.out.println(r.line()));
    System.out.flush();
    return 0;
  }

  /**
   * Runs the plan: starts the group, measures every case, checks that every member counted
   * exactly the acknowledged calls and bytes, and stops every member process (by pid), also on
   * failure. Throws when a call fails, the counts disagree, or the plan's limit passes.
   */
  public static Report run(Plan plan, PrintStream err) throws Exception {
    Files.createDirectories(plan.runDir());
    List<Integer> ports = Ports.freeTcpPorts(JGroupsRpcNode.MEMBERS);
    String cluster = "jgroups-rpc-" + UUID.randomUUID().toString().substring(0, 8);
    List<Process> members = new ArrayList<>();
    List<Long> pids = new ArrayList<>();
    AtomicReference<JGroupsRpcNode> nodeRef = new AtomicReference<>();
    AtomicBoolean expired = new AtomicBoolean();
    Thread hook = new Thread(() -> stopAll(members));
    Runtime.getRuntime().addShutdownHook(hook);
    ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "jgroups-rpc-watchdog");
      t.setDaemon(true);
      return t;
    });
    // Past the limit, kill the members and close our channel: whatever the main thread waits on
    // then fails promptly, and the run ends with an error instead of hanging.
    watchdog.schedule(() -> {
      expired.set(true);
      err.println("jgroups-rpc: limit of " + plan.limit() + " reached, stopping");
      stopAll(members);
      JGroupsRpcNode n = nodeRef.get();
      if (n != null) {
        n.close();
      }
    }, plan.limit().toMillis(), TimeUnit.MILLISECONDS);
    try {
      err.println("[member logs: " + plan.runDir() + "]");
      // Join first: the coordinator, hence the sequencer, is this process.
      try (JGroupsRpcNode node = JGroupsRpcNode.join(cluster, ports, 0, CALL_TIMEOUT)) {
        nodeRef.set(node);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String portList = ports.stream().map(String::valueOf).collect(Collectors.joining(","));
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (int rank = 1; rank < JGroupsRpcNode.MEMBERS; rank++) {
          Process p = new ProcessBuilder(java, "-Xmx512m", "-XX:+UseParallelGC",
              "-Djava.net.preferIPv4Stack=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
              "-cp", plan.classpath(), JGroupsRpcMember.class.getName(), cluster, portList,
              String.valueOf(rank))
              .redirectError(plan.runDir().resolve("member-" + rank + ".err").toFile())
              .start();
          synchronized (members) {
            members.add(p);
          }
          pids.add(p.pid());
          ready.add(readyFuture(p, rank));
        }
        node.awaitFullView(SETUP);
        CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new))
            .get(SETUP.toMillis(), TimeUnit.MILLISECONDS);

        AtomicLong acknowledged = new AtomicLong();
        AtomicLong acknowledgedBytes = new AtomicLong();
        List<Row> rows = new ArrayList<>();
        err.println("[warm-up]");
        ordered(node, 4, 100, Duration.ZERO, plan.initialWarmup(), acknowledged, acknowledgedBytes);
        for (int size : plan.sizes()) {
          for (int callers : plan.callers()) {
            err.printf(Locale.ROOT, "[ordered: %d callers, %d B arguments, %d s]%n", callers, size,
                plan.seconds().toSeconds());
            Row r = ordered(node, callers, size, plan.caseWarmup(), plan.seconds(), acknowledged,
                acknowledgedBytes);
            rows.add(r);
            err.println("  " + r.line());
          }
        }
        SinkCounts counts = new SinkCounts(acknowledged.get(), acknowledgedBytes.get(),
            node.queryAll(CountingSink.CALLS), node.queryAll(CountingSink.BYTES));
        err.println("[check: every member ran " + counts.calls() + " calls, "
            + counts.expectedCalls() + " acknowledged]");
        String problem = counts.problem(JGroupsRpcNode.MEMBERS);
        if (problem != null) {
          throw new IllegalStateException(problem);
        }
        stopAll(members);
        return new Report(rows, counts, List.copyOf(pids), plan.runDir());
      }
    } catch (Exception e) {
      if (expired.get()) {
        throw new TimeoutException("jgroups-rpc exceeded its limit of " + plan.limit() + ": " + e);
      }
      throw e;
    } finally {
      watchdog.shutdownNow();
      stopAll(members);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
  }

  /** {@code callers} threads, each with one ordered call in flight (waiting for every reply). */
  private static Row ordered(JGroupsRpcNode node, int callers, int size, Duration warmup,
      Duration measured, AtomicLong acknowledged, AtomicLong acknowledgedBytes) throws Exception {
    Recorder latency = new Recorder(3);
    AtomicLong calls = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      threads.add(Thread.ofPlatform().name("caller-" + c).start(() -> {
        byte[] payload = new byte[size];
        try {
          while (!stop.get()) {
            long t0 = System.nanoTime();
            node.apply(payload);
            latency.recordValue((System.nanoTime() - t0) / 1000);
            calls.incrementAndGet();
            acknowledged.incrementAndGet();
            acknowledgedBytes.addAndGet(size);
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
          stop.set(true);
        }
      }));
    }
    Thread.sleep(warmup.toMillis()); // warm-up, not measured
    latency.reset();
    long c0 = calls.get();
    long t0 = System.nanoTime();
    long end = t0 + measured.toNanos();
    for (long now = t0; now < end && !stop.get(); now = System.nanoTime()) {
      Thread.sleep(Math.max(1, Math.min(100, (end - now) / 1_000_000)));
    }
    long c1 = calls.get();
    double elapsed = (System.nanoTime() - t0) / 1e9;
    Histogram h = latency.getIntervalHistogram();
    stop.set(true);
    for (Thread t : threads) {
      t.join(CALL_TIMEOUT.toMillis() + 5_000);
      if (t.isAlive()) {
        throw new IllegalStateException(t.getName() + " did not finish its last call");
      }
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a call failed (" + callers + " callers, " + size + " B)",
          failure.get());
    }
    return new Row("ordered, " + callers + " callers, " + size + " B", callers, size, c1 - c0,
        elapsed, h.getValueAtPercentile(50), h.getValueAtPercentile(99));
  }

  private static CompletableFuture<Void> readyFuture(Process p, int rank) {
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread.ofPlatform().daemon().name("member-" + rank + "-stdout").start(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.equals("READY")) {
            ready.complete(null);
          }
        }
      } catch (IOException e) {
        // the process is gone; handled below
      }
      ready.completeExceptionally(
          new IllegalStateException("member " + rank + " exited before it was ready"));
    });
    return ready;
  }

  /**
   * Ends every member process: closing its standard input lets it leave the group cleanly; after
   * a grace period it is killed, by its own pid (and any child it started).
   */
  private static void stopAll(List<Process> members) {
    List<Process> copy;
    synchronized (members) {
      copy = List.copyOf(members);
    }
    for (Process p : copy) {
      try {
        p.getOutputStream().close();
      } catch (IOException ignored) {
        // already gone
      }
    }
    for (Process p : copy) {
      try {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static List<Integer> ints(String csv) {
    return Arrays.stream(csv.split(",")).map(String::trim).map(Integer::parseInt).toList();
  }
}
