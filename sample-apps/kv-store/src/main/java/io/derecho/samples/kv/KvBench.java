package io.derecho.samples.kv;

import io.derecho.object.Call;
import io.derecho.object.Replicated;
import io.derecho.spring.Derecho;
import io.derecho.spring.ReplicatedCalls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Benchmarks of the starter and the kv-store, one line per configuration:
 * <ul>
 *   <li>{@code proxy}: three kv-store nodes as application contexts in this JVM (one shard of
 *       three), one caller on node 0 making synchronous calls, in rounds that alternate the
 *       {@link KvStore} proxy, {@link ReplicatedCalls} and the engine's {@link Replicated} directly,
 *       for ordered puts and for queries: what the proxy costs over a direct engine call;</li>
 *   <li>{@code rest}: a local cluster of kv-store processes (6 nodes, 2 shards of 3) driven over
 *       HTTP by the {@link Workload}: puts, gets, and an HTTP floor (a GET of {@code /actuator/info},
 *       which replicates nothing) for 1 and several client threads.</li>
 * </ul>
 *
 * <pre>
 * java -jar kv-store.jar bench [proxy|rest|all] [--calls=20000] [--seconds=10] [--threads=1,16]
 * </pre>
 */
public final class KvBench {
    private KvBench() {
    }

    public static int main(String[] args) throws Exception {
        String what = "all";
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                a.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else {
                what = arg;
            }
        }
        System.out.printf("machine: %d cores, %s %s, JVM %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.vm.version"));
        if (what.equals("proxy") || what.equals("all")) {
            proxy(Integer.parseInt(a.getOrDefault("calls", "20000")));
        }
        if (what.equals("rest") || what.equals("all")) {
            List<Integer> threads = new ArrayList<>();
            for (String t : a.getOrDefault("threads", "1,16").split(",")) {
                threads.add(Integer.parseInt(t));
            }
            rest(Integer.parseInt(a.getOrDefault("seconds", "10")), threads);
        }
        return 0;
    }

    // ---- proxy overhead ----

    private interface Op {
        void call(int i) throws Exception;
    }

    private static void proxy(int calls) throws Exception {
        int[] ports = LocalCluster.freePorts(3);
        List<CompletableFuture<ConfigurableApplicationContext>> starting = new ArrayList<>();
        // threads made here inherit this thread's context class loader (the jar's nested class path)
        java.util.concurrent.ExecutorService starters = java.util.concurrent.Executors.newFixedThreadPool(3);
        for (int id = 0; id < 3; id++) {
            // command-line arguments: they override application.yml, and a list replaces its list
            List<String> p = new ArrayList<>(List.of("--derecho.node-id=" + id, "--derecho.group=kv-bench",
                    "--derecho.subgroups[0].name=kv", "--derecho.subgroups[0].shards[0].members=0,1,2",
                    "--logging.level.io.derecho=warn"));
            for (int m = 0; m < 3; m++) {
                p.add("--derecho.members[" + m + "].id=" + m);
                p.add("--derecho.members[" + m + "].host=127.0.0.1");
                p.add("--derecho.members[" + m + "].port=" + ports[m]);
            }
            starting.add(CompletableFuture.supplyAsync(() -> new SpringApplicationBuilder(KvStoreApplication.class)
                    .web(WebApplicationType.NONE).run(p.toArray(String[]::new)), starters));
        }
        List<ConfigurableApplicationContext> contexts = new ArrayList<>();
        for (CompletableFuture<ConfigurableApplicationContext> f : starting) {
            contexts.add(f.get(120, TimeUnit.SECONDS));
        }
        starters.shutdown();
        try {
            KvStore proxy = contexts.get(0).getBean(KvStore.class);
            Derecho derecho = contexts.get(0).getBean(Derecho.class);
            ReplicatedCalls<KvStore> viaCalls = derecho.calls(KvStore.class);
            Replicated<KvStore> direct = derecho.group().replicated(KvStore.class);
            int me = derecho.nodeId();
            String value = "v".repeat(100);
            Map<String, Op> ops = new java.util.LinkedHashMap<>();
            Duration t = Duration.ofSeconds(30);
            ops.put("ordered put   engine, every reply (get)", i -> direct.ordered(Call.of(KvStore::put, "k" + (i & 1023), value)).get());
            ops.put("ordered put   engine, own reply (getOwn)", i -> direct.ordered(Call.of(KvStore::put, "k" + (i & 1023), value)).getOwn(t));
            ops.put("ordered put   ReplicatedCalls (get)    ", i -> viaCalls.ordered("k" + (i & 1023), Call.of(KvStore::put, "k" + (i & 1023), value)).get());
            ops.put("ordered put   @ReplicatedBean proxy    ", i -> proxy.put("k" + (i & 1023), value));
            ops.put("query get     engine Replicated.p2p    ", i -> direct.p2p(me, Call.of(KvStore::get, "k" + (i & 1023))).get());
            ops.put("query get     ReplicatedCalls.query    ", i -> viaCalls.query("k" + (i & 1023), Call.of(KvStore::get, "k" + (i & 1023))).get());
            ops.put("query get     @ReplicatedBean proxy    ", i -> proxy.get("k" + (i & 1023)));
            Map<String, Histogram> hist = new java.util.LinkedHashMap<>();
            Map<String, Long> nanos = new HashMap<>();
            ops.keySet().forEach(k -> hist.put(k, new Histogram(3)));
            for (Map.Entry<String, Op> e : ops.entrySet()) {
                run(e.getValue(), Math.min(calls, 5000), null); // warm-up
            }
            int rounds = 5;
            for (int r = 0; r < rounds; r++) {
                for (Map.Entry<String, Op> e : ops.entrySet()) {
                    long t0 = System.nanoTime();
                    run(e.getValue(), calls / rounds, hist.get(e.getKey()));
                    nanos.merge(e.getKey(), System.nanoTime() - t0, Long::sum);
                }
            }
            System.out.println();
            System.out.println("proxy overhead: 3 nodes in this JVM, 1 shard of 3, one synchronous caller on node 0, "
                    + calls + " calls each, in " + rounds + " alternating rounds");
            System.out.printf("%-42s %12s %10s %10s %10s%n", "call", "calls/s", "p50 us", "p99 us", "p99.9 us");
            for (String k : ops.keySet()) {
                Histogram h = hist.get(k);
                System.out.printf("%-42s %,12.0f %10.1f %10.1f %10.1f%n", k, h.getTotalCount() / (nanos.get(k) / 1e9),
                        h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3);
            }
        } finally {
            contexts.forEach(ConfigurableApplicationContext::close);
        }
    }

    private static void run(Op op, int n, Histogram h) throws Exception {
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            op.call(i);
            if (h != null) {
                h.recordValue(System.nanoTime() - t0);
            }
        }
    }

    // ---- REST ----

    private static void rest(int seconds, List<Integer> threads) throws Exception {
        try (LocalCluster cluster = new LocalCluster(6, 3, Files.createTempDirectory("kv-bench-"), List.of(LocalCluster.PATIENT_START))) {
            for (int i = 0; i < cluster.nodes(); i++) {
                cluster.start(i, false);
            }
            if (!cluster.awaitHealthy(cluster.all(), Duration.ofSeconds(180), line -> { })) {
                throw new IllegalStateException("the cluster did not come up; logs in " + cluster.logs());
            }
            List<String> targets = new ArrayList<>();
            for (int i = 0; i < cluster.nodes(); i++) {
                targets.add(cluster.url(i));
            }
            System.out.println();
            System.out.println("REST: 6 kv-store processes (2 shards of 3) on loopback, clients spread over all nodes, 100-byte values, "
                    + "1000 keys, " + seconds + " s per line after a warm-up");
            // warm-up: both paths, all nodes
            new Workload(new Workload.Options(targets, 16, Duration.ofSeconds(Math.max(10, seconds)), 1000, 0.5, 100, "w")).run(l -> { });
            System.out.printf("%-28s %8s %12s %10s %10s%n", "operation", "threads", "ops/s", "p50 ms", "p99 ms");
            for (int t : threads) {
                line("HTTP floor (/actuator/info)", t, floor(targets, t, seconds));
                Workload.Result puts = new Workload(new Workload.Options(targets, t, Duration.ofSeconds(seconds), 1000, 1.0, 100, "w")).run(l -> { });
                line("PUT /kv/{key} (ordered)", t, new double[] {puts.opsPerSecond(), pct(puts.putLatency(), 50), pct(puts.putLatency(), 99)});
                Workload.Result gets = new Workload(new Workload.Options(targets, t, Duration.ofSeconds(seconds), 1000, 0.0, 100, "w")).run(l -> { });
                line("GET /kv/{key} (one replica)", t, new double[] {gets.opsPerSecond(), pct(gets.getLatency(), 50), pct(gets.getLatency(), 99)});
            }
        }
    }

    private static void line(String what, int threads, double[] r) {
        System.out.printf("%-28s %8d %,12.0f %10.2f %10.2f%n", what, threads, r[0], r[1], r[2]);
    }

    private static double pct(Histogram h, double p) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p) / 1e6;
    }

    /** GET /actuator/info from {@code threads} threads: the cost of HTTP and Spring MVC alone. */
    private static double[] floor(List<String> targets, int threads, int seconds) throws Exception {
        Histogram all = new Histogram(3);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> ts = new ArrayList<>();
        List<Histogram> hs = new ArrayList<>();
        HttpClient shared = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(); // as the workload's
        for (int t = 0; t < threads; t++) {
            Histogram h = new Histogram(3);
            hs.add(h);
            String url = targets.get(t % targets.size()) + "/actuator/info";
            HttpClient http = shared;
            ts.add(Thread.ofPlatform().start(() -> {
                HttpRequest req = HttpRequest.newBuilder(URI.create(url)).GET().build();
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        http.send(req, HttpResponse.BodyHandlers.ofString());
                    } catch (IOException e) {
                        continue;
                    } catch (InterruptedException e) {
                        return;
                    }
                    h.recordValue(System.nanoTime() - t0);
                }
            }));
        }
        for (Thread t : ts) {
            t.join();
        }
        hs.forEach(all::add);
        return new double[] {all.getTotalCount() / (double) seconds, pct(all, 50), pct(all, 99)};
    }
}
