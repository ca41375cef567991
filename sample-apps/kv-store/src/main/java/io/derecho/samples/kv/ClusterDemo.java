package io.derecho.samples.kv;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import tools.jackson.databind.JsonNode;

/**
 * The demo: a local cluster of kv-store nodes (separate JVMs on loopback), a client workload,
 * one node killed while the clients keep going, the new view, a check that no acknowledged write
 * was lost, the node restarted and rejoining with its shard's state. Prints what happens in plain
 * words; {@code --stay} leaves the cluster running until Ctrl-C.
 *
 * <pre>
 * java -jar kv-store.jar demo [--nodes=6] [--replicas=3] [--seconds=8] [--threads=8] [--stay]
 * </pre>
 */
public final class ClusterDemo {
    private final long start = System.nanoTime();
    private final LocalCluster cluster;
    private final int seconds;
    private final int threads;

    private ClusterDemo(LocalCluster cluster, int seconds, int threads) {
        this.cluster = cluster;
        this.seconds = seconds;
        this.threads = threads;
    }

    public static int run(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            if (arg.equals("--stay")) {
                a.put("stay", "true");
            } else if (arg.startsWith("--") && arg.contains("=")) {
                a.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else {
                System.err.println("usage: demo [--nodes=6] [--replicas=3] [--seconds=8] [--threads=8] [--stay]; got '" + arg + "'");
                return 2;
            }
        }
        int nodes = Integer.parseInt(a.getOrDefault("nodes", "6"));
        int replicas = Integer.parseInt(a.getOrDefault("replicas", "3"));
        Path logs = Files.createTempDirectory("kv-demo-");
        LocalCluster cluster = new LocalCluster(nodes, replicas, logs, List.of(LocalCluster.PATIENT_START));
        Thread cleanup = new Thread(() -> {
            System.out.println("stopping every node (each leaves the group cleanly) ...");
            cluster.close();
            System.out.println("all nodes stopped; their logs are in " + logs);
        });
        Runtime.getRuntime().addShutdownHook(cleanup); // Ctrl-C and normal exit both stop the nodes
        ClusterDemo demo = new ClusterDemo(cluster, Integer.parseInt(a.getOrDefault("seconds", "8")),
                Integer.parseInt(a.getOrDefault("threads", "8")));
        int rc = demo.play();
        if (rc == 0 && a.containsKey("stay")) {
            demo.stay();
        }
        return rc;
    }

    private void say(String what) {
        System.out.printf("[%5.1fs] %s%n", (System.nanoTime() - start) / 1e9, what);
    }

    private int play() throws Exception {
        int n = cluster.nodes();
        say("Derecho kv-store demo: " + n + " nodes on 127.0.0.1 (separate JVMs), " + cluster.shards() + " shards of "
                + (n / cluster.shards()) + " replicas; node logs in " + cluster.logs());
        for (int i = 0; i < n; i++) {
            cluster.start(i, false);
        }
        say("started " + n + " JVMs; the group forms once every one of them is up (view 0 needs all initial members)");
        if (!cluster.awaitHealthy(cluster.all(), Duration.ofSeconds(180), this::say)) {
            return fail("the nodes did not all come up within 180 s");
        }
        KvClient first = new KvClient(cluster.url(0));
        JsonNode view = first.derecho();
        say("all " + n + " nodes are up in view " + view.path("view").path("id").asInt() + " with members "
                + members(view));
        for (int s = 0; s < cluster.shards(); s++) {
            System.out.println("         shard " + s + " of subgroup 'kv' is replicated on nodes " + cluster.shardMembers(s));
        }
        for (int i = 0; i < n; i++) {
            System.out.println("         node " + i + ": " + cluster.url(i) + "  (group port " + cluster.groupPort(i) + ")");
        }

        List<String> targets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            targets.add(cluster.url(i));
        }
        say("warming up for 5 s: a fresh JVM runs several times slower until the JIT has compiled the hot paths");
        new Workload(new Workload.Options(targets, threads, Duration.ofSeconds(5), 2000, 0.5, 100, "warm-")).run(line -> { });
        Workload w = new Workload(new Workload.Options(targets, threads, Duration.ofSeconds(seconds), 2000, 0.5, 100, "a-"));
        say("workload: " + threads + " clients put and get 2,000 keys through every node for " + seconds + " s "
                + "(half writes; each write goes to the 3 replicas of its key's shard in one order)");
        Workload.Result before = w.run(System.out::println);
        say("before the failure: " + before.summary());

        int victim = n - 1;
        int survivor = 0;
        say("killing node " + victim + " (kill -9 of pid " + cluster.process(victim).pid() + "), a replica of shard "
                + (victim / (n / cluster.shards())) + ", while the clients keep going");
        Workload during = new Workload(new Workload.Options(targets, threads, Duration.ofSeconds(seconds), 2000, 0.5, 100, "b-"));
        double[] duringResult = new double[1];
        Thread load = Thread.ofPlatform().start(() -> {
            try {
                Workload.Result r = during.run(line -> { });
                duringResult[0] = r.opsPerSecond();
                say("while node " + victim + " failed and the group recovered: " + r.summary());
                if (r.errors() > 0) {
                    System.out.println("         (errors: requests in flight to node " + victim + " when it was killed; "
                            + "those clients went on with another node)");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        int oldView = view.path("view").path("id").asInt();
        long killedAt = System.nanoTime();
        cluster.kill(victim);
        JsonNode after = awaitView(first, v -> v > oldView, Duration.ofSeconds(60));
        if (after == null) {
            return fail("no new view within 60 s of the kill");
        }
        say(String.format("node %d installed view %d without node %d, %.1f s after the kill: members %s", survivor,
                after.path("view").path("id").asInt(), victim, (System.nanoTime() - killedAt) / 1e9, members(after)));
        System.out.println("         node 0's /actuator/derecho says: " + after.path("summary").asString());
        load.join();

        say("checking every acknowledged write of both runs with linearizable reads ...");
        Workload.Verification v1 = w.verify(first);
        Workload.Verification v2 = during.verify(new KvClient(cluster.url(1)));
        int lost = v1.lost().size() + v2.lost().size();
        say(lost == 0 ? "no acknowledged write was lost: " + (v1.keys() + v2.keys()) + " keys read back, each holds its last acknowledged value"
                : lost + " ACKNOWLEDGED WRITES LOST, e.g. " + (v1.lost().isEmpty() ? v2.lost() : v1.lost()).get(0));
        if (lost > 0) {
            return 1;
        }

        say("restarting node " + victim + ": it joins the running group and receives its shard's state from a member");
        cluster.start(victim, true);
        int viewAfterKill = after.path("view").path("id").asInt();
        if (!cluster.awaitHealthy(List.of(victim), Duration.ofSeconds(120), this::say)) {
            return fail("node " + victim + " did not rejoin within 120 s");
        }
        JsonNode rejoined = awaitView(first, id -> id > viewAfterKill, Duration.ofSeconds(30));
        KvClient back = new KvClient(cluster.url(victim));
        JsonNode replica = back.derecho();
        say("node " + victim + " is back in view " + replica.path("view").path("id").asInt() + ": members "
                + members(rejoined == null ? replica : rejoined));
        JsonNode own = back.replica();
        Workload.Verification v3 = during.verify(back, false);
        say("node " + victim + " holds a replica of shard " + own.path("shard").asInt() + " again, with "
                + own.path("keys").asInt() + " keys received by state transfer; read back through it (its own replica for "
                + "its shard's keys, relayed for the rest): " + v3.keys() + " keys, "
                + (v3.lost().isEmpty() ? "all hold their last acknowledged value" : v3.lost().size() + " differ: " + v3.lost().get(0)));
        if (!v3.lost().isEmpty()) {
            return 1;
        }
        int views = replica.path("view").path("id").asInt() - oldView;
        say(String.format("summary: %,.0f ops/s before the failure and %,.0f ops/s during it, %d view changes "
                + "(failure, rejoin), 0 acknowledged writes lost", before.opsPerSecond(), duringResult[0], views));
        return 0;
    }

    private void stay() throws InterruptedException {
        System.out.println();
        System.out.println("The cluster keeps running. Try:");
        System.out.println("  curl -X PUT -H 'Content-Type: text/plain' -d hello " + cluster.url(0) + "/kv/greeting");
        System.out.println("  curl " + cluster.url(cluster.nodes() - 1) + "/kv/greeting");
        System.out.println("  curl '" + cluster.url(1) + "/kv?prefix=a-1&limit=5'");
        System.out.println("  curl " + cluster.url(0) + "/actuator/derecho");
        System.out.println("  curl " + cluster.url(0) + "/actuator/health");
        System.out.println("Press Ctrl-C to stop every node.");
        new CountDownLatch(1).await();
    }

    private int fail(String why) {
        say("FAILED: " + why + "; see the node logs in " + cluster.logs());
        return 1;
    }



    private JsonNode awaitView(KvClient node, java.util.function.IntPredicate wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                JsonNode d = node.derecho();
                if (wanted.test(d.path("view").path("id").asInt())) {
                    return d;
                }
            } catch (java.io.IOException e) {
                // not answering right now: try again
            }
            Thread.sleep(50);
        }
        return null;
    }

    private static String members(JsonNode derecho) {
        List<Integer> ids = new ArrayList<>();
        for (JsonNode m : derecho.path("view").path("members")) {
            ids.add(m.path("id").asInt());
        }
        return ids.toString();
    }
}
