package io.derecho.bench.rpc;

import io.derecho.bench.launch.Ports;
import io.derecho.config.BlockScheduleKind;
import io.derecho.config.GroupConfig;
import io.derecho.config.Profile;
import io.derecho.config.ShardSpec;
import io.derecho.object.Call;
import io.derecho.object.ExternalClient;
import io.derecho.object.Group;
import io.derecho.object.Replicated;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * Ordered RPC among 3 replicas: this process is member 0 and the callers; members 1 and 2 are
 * separate processes ({@link RpcMember}). For each number of concurrent callers (each with one
 * call in flight, waiting for every replica's reply) and argument size it reports calls/s and the
 * latency p50/p99; then the latency of a point-to-point query to another member, and the calls/s of
 * an external client whose ordered calls a member relays.
 *
 * <p>Then the same ordered calls from one thread that keeps 16 or 128 of them outstanding (the way
 * the Ratis peer's async client runs).
 *
 * <p>{@code derecho-bench rpc [--seconds 5] [--callers 1,4,16] [--sizes 100,10240] [--client-inflight 16]}
 */
public final class RpcBench {

    private record Result(String what, long calls, double seconds, double p50us, double p99us) {
        String row() {
            return String.format(Locale.ROOT, "%-40s %12.0f %10.1f %10.1f", what, calls / seconds, p50us, p99us);
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = 5;
        List<Integer> callerCounts = List.of(1, 4, 16);
        List<Integer> sizes = List.of(100, 10240);
        int clientInflight = 16;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--callers" -> callerCounts = java.util.Arrays.stream(args[i + 1].split(",")).map(Integer::parseInt).toList();
                case "--sizes" -> sizes = java.util.Arrays.stream(args[i + 1].split(",")).map(Integer::parseInt).toList();
                case "--client-inflight" -> clientInflight = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (use --seconds, --callers, --sizes, --client-inflight)");
            }
        }
        Path dir = Files.createTempDirectory("derecho-rpc");
        List<Integer> ports = Ports.freeTcpPorts(3);
        StringBuilder yaml = new StringBuilder("group: rpc-bench\nmembers:\n");
        for (int i = 0; i < 3; i++) {
            yaml.append("  - {id: ").append(i).append(", host: 127.0.0.1, port: ").append(ports.get(i)).append("}\n");
        }
        yaml.append("profiles:\n  rpc: {window: 256, maxSmcPayload: 10400, maxPayload: 1048576, blockSize: 1048576,"
                + " largeWindow: 4, schedule: binomial_pipeline}\n");
        yaml.append("subgroups:\n  - name: sink\n    shards:\n      - members: [0, 1, 2]\n        profile: rpc\n");
        Path config = Files.writeString(dir.resolve("group.yaml"), yaml);
        List<Process> members = new ArrayList<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Result> results = new ArrayList<>();
        try {
            for (int i = 1; i < 3; i++) {
                Process p = new ProcessBuilder(java, "-Xmx512m", "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                        RpcMember.class.getName(), config.toString(), String.valueOf(i))
                        .redirectError(dir.resolve("member-" + i + ".err").toFile()).start();
                members.add(p);
            }
            try (Group group = Group.builder(GroupConfig.load(config), 0).replicate(Sink.class, "sink", Sink::new).start()) {
                group.awaitReady(Duration.ofSeconds(60));
                for (Process p : members) {
                    awaitReady(p);
                }
                Replicated<Sink> sink = group.replicated(Sink.class);
                System.err.println("[warm-up]");
                ordered(sink, 4, 100, 3);
                for (int size : sizes) {
                    for (int callers : callerCounts) {
                        System.err.printf("[ordered: %d callers, %d B arguments, %d s]%n", callers, size, seconds);
                        Result r = ordered(sink, callers, size, seconds);
                        results.add(new Result("ordered, " + callers + " callers, " + size + " B", r.calls(), r.seconds(),
                                r.p50us(), r.p99us()));
                        System.err.println("  " + results.getLast().row());
                    }
                }
                for (int size : sizes) {
                    for (int inflight : List.of(16, 128)) {
                        System.err.printf("[ordered: %d calls in flight from one thread, %d B, %d s]%n", inflight, size, seconds);
                        results.add(pipelined(sink, inflight, size, seconds));
                        System.err.println("  " + results.getLast().row());
                    }
                }
                System.err.printf("[point-to-point query, 1 caller, %d s]%n", seconds);
                results.add(query(sink, seconds));
                System.err.println("  " + results.getLast().row());
                System.err.printf("[external client, %d calls in flight, %d s]%n", clientInflight, seconds);
                try (ExternalClient client = ExternalClient.connect("rpc-bench", List.of("127.0.0.1:" + ports.get(1)))) {
                    results.add(client(client, clientInflight, 100, seconds));
                }
                System.err.println("  " + results.getLast().row());
                long[] counts = new long[3];
                for (int i = 0; i < 3; i++) {
                    counts[i] = sink.p2p(i, Call.of(Sink::calls)).get(Duration.ofSeconds(10));
                }
                System.err.printf("[check: every replica ran %d, %d, %d calls]%n", counts[0], counts[1], counts[2]);
                if (counts[0] != counts[1] || counts[1] != counts[2]) {
                    throw new IllegalStateException("replicas disagree: " + counts[0] + ", " + counts[1] + ", " + counts[2]);
                }
            }
        } finally {
            for (Process p : members) {
                p.getOutputStream().close();
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
        System.out.println("ordered RPC among 3 replicas (this process is member 0 and the callers); latency in µs");
        System.out.printf("%-40s %12s %10s %10s%n", "case", "calls/s", "p50", "p99");
        results.forEach(r -> System.out.println(r.row()));
    }

    private static void awaitReady(Process p) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null && !line.equals("READY")) {
            // skip
        }
        if (line == null) {
            throw new IllegalStateException("a member process exited before it was ready");
        }
    }

    /** {@code callers} threads, each with one ordered call in flight (waiting for every reply). */
    private static Result ordered(Replicated<Sink> sink, int callers, int size, int seconds) throws Exception {
        Recorder latency = new Recorder(3);
        AtomicLong calls = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            threads.add(Thread.ofPlatform().start(() -> {
                byte[] payload = new byte[size];
                try {
                    while (!stop.get()) {
                        long t0 = System.nanoTime();
                        sink.ordered(Call.of(Sink::apply, payload)).all().get(30, TimeUnit.SECONDS);
                        latency.recordValue((System.nanoTime() - t0) / 1000);
                        calls.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        return measure("ordered", seconds, latency, calls, stop, threads);
    }

    /**
     * One thread keeping {@code inflight} ordered calls outstanding (as the Ratis peer's async
     * client does): a call completes when every replica replied.
     */
    private static Result pipelined(Replicated<Sink> sink, int inflight, int size, int seconds) throws Exception {
        Recorder latency = new Recorder(3);
        AtomicLong calls = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(inflight);
        Thread t = Thread.ofPlatform().start(() -> {
            byte[] payload = new byte[size];
            try {
                while (!stop.get()) {
                    if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    long t0 = System.nanoTime();
                    sink.ordered(Call.of(Sink::apply, payload)).all().whenComplete((v, e) -> {
                        if (e == null) {
                            latency.recordValue((System.nanoTime() - t0) / 1000);
                            calls.incrementAndGet();
                        }
                        window.release();
                    });
                }
                window.acquire(inflight); // let the last calls finish
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return measure("ordered, " + inflight + " in flight (1 thread), " + size + " B", seconds, latency, calls, stop,
                List.of(t));
    }

    private static Result query(Replicated<Sink> sink, int seconds) throws Exception {
        Recorder latency = new Recorder(3);
        AtomicLong calls = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    sink.p2p(1, Call.of(Sink::calls)).get(Duration.ofSeconds(30));
                    latency.recordValue((System.nanoTime() - t0) / 1000);
                    calls.incrementAndGet();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return measure("point-to-point query, 1 caller", seconds, latency, calls, stop, List.of(t));
    }

    /** An external client with {@code inflight} ordered calls in flight, relayed by member 1. */
    private static Result client(ExternalClient client, int inflight, int size, int seconds) throws Exception {
        Recorder latency = new Recorder(3);
        AtomicLong calls = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        byte[] payload = new byte[size];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < inflight; c++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    while (!stop.get()) {
                        long t0 = System.nanoTime();
                        CompletableFuture<Long> f = client.ordered(Sink.class, "sink", 0, Call.of(Sink::apply, payload));
                        f.get(30, TimeUnit.SECONDS);
                        latency.recordValue((System.nanoTime() - t0) / 1000);
                        calls.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        return measure("external client, " + inflight + " in flight, " + size + " B", seconds, latency, calls, stop, threads);
    }

    private static Result measure(String what, int seconds, Recorder latency, AtomicLong calls, AtomicBoolean stop,
                                  List<Thread> threads) throws InterruptedException {
        Thread.sleep(500); // warm-up, not measured
        latency.reset();
        long c0 = calls.get();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long c1 = calls.get();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        var h = latency.getIntervalHistogram();
        stop.set(true);
        for (Thread t : threads) {
            t.join(30_000);
        }
        return new Result(what, c1 - c0, elapsed, h.getValueAtPercentile(50), h.getValueAtPercentile(99));
    }
}
