package io.derecho.samples.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.derecho.testing.lin.CheckResult;
import io.derecho.testing.lin.History;
import io.derecho.testing.lin.HistoryRecorder;
import io.derecho.testing.lin.KvMapModel;
import io.derecho.testing.lin.LinearizabilityChecker;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * The kv-store as a cluster of separate JVM processes (4 nodes: shards {0, 1} and {2, 3}), driven
 * over real HTTP: the REST API and its 4xx answers, then a concurrent client history recorded
 * while a node is killed with SIGKILL, checked for linearizability (so no acknowledged write is
 * lost), and the Actuator output of the survivors after the view change.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class KvStoreClusterTest {
    private static final int NODES = 4;
    private static final int VICTIM = 3;
    private LocalCluster cluster;

    @BeforeAll
    void startCluster() throws Exception {
        java.nio.file.Files.createDirectories(Path.of("target"));
        cluster = new LocalCluster(NODES, 2, java.nio.file.Files.createTempDirectory(Path.of("target"), "kv-cluster-test-"),
                List.of(LocalCluster.PATIENT_START));
        for (int i = 0; i < NODES; i++) {
            cluster.start(i, false);
        }
        assertThat(cluster.awaitHealthy(cluster.all(), Duration.ofSeconds(180), System.out::println))
                .as("every node up (logs in %s)", cluster.logs()).isTrue();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private KvClient client(int node) {
        return new KvClient(cluster.url(node));
    }

    @Test
    @Order(1)
    void restApiServesEveryKeyFromEveryNode() throws Exception {
        Entry put = client(0).put("user:1", "Ada");
        assertThat(put.value()).isEqualTo("Ada");
        for (int node = 0; node < NODES; node++) {
            assertThat(client(node).get("user:1", true)).as("read on node %d", node).isEqualTo(put);
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (int node = 0; node < NODES; node++) {
                assertThat(client(node).get("user:1", false)).isEqualTo(put); // one replica: soon the same
            }
        });
        assertThat(client(1).compareAndSet("user:1", "Bob", "Eve")).isFalse();
        assertThat(client(2).compareAndSet("user:1", "Ada", "Eve")).isTrue();
        assertThat(client(3).compareAndSet("user:2", null, "Zed")).isTrue(); // expected null: absent
        assertThat(client(0).get("user:1", true).value()).isEqualTo("Eve");
        for (int i = 0; i < 20; i++) {
            client(i % NODES).put("list-" + (100 + i), "v" + i);
        }
        JsonNode listing = client(3).list("list-1", 7);
        assertThat(listing.path("shards").asInt()).isEqualTo(2);
        assertThat(listing.path("truncated").asBoolean()).isTrue();
        List<String> keys = new ArrayList<>();
        listing.path("entries").forEach(e -> keys.add(e.path("key").asString()));
        assertThat(keys).containsExactly("list-100", "list-101", "list-102", "list-103", "list-104", "list-105", "list-106");
        assertThat(client(1).delete("user:2").value()).isEqualTo("Zed");
        assertThat(client(2).get("user:2", true)).isNull();
        assertThat(client(2).delete("user:2")).isNull();
    }

    @Test
    @Order(2)
    void badInputGetsAClear4xx() throws Exception {
        KvClient c = client(1);
        expect(c.raw("PUT", "/kv/has%20space", "text/plain", "x"), 400, "key 'has space' is invalid");
        expect(c.raw("PUT", "/kv/" + "k".repeat(201), "text/plain", "x"), 400, "is invalid");
        expect(c.raw("PUT", "/kv/novalue", "text/plain", null), 400, "value is missing");
        expect(c.raw("PUT", "/kv/big", "text/plain", "x".repeat(70_000)), 413, "limit is 65536");
        expect(c.raw("GET", "/kv/absent-key", null, null), 404, "no key 'absent-key'");
        expect(c.raw("GET", "/kv/user:1?consistency=strong", null, null), 400, "consistency must be");
        expect(c.raw("POST", "/kv/user:1/cas", "application/json", "{not json"), 400, "not valid JSON");
        expect(c.raw("POST", "/kv/user:1/cas", "application/json", "{\"expected\": \"a\"}"), 400, "needs a JSON body");
        expect(c.raw("GET", "/kv?limit=0", null, null), 400, "limit must be between 1 and 1000");
        expect(c.raw("GET", "/kv?limit=lots", null, null), 400, "parameter 'limit'");
        expect(c.raw("GET", "/kv?prefix=a%2Fb", null, null), 400, "prefix 'a/b' is invalid");
        expect(c.raw("PATCH", "/kv/user:1", "text/plain", "x"), 405, "PATCH");
        // Nothing of it reached the store.
        assertThat(c.get("novalue", true)).isNull();
        assertThat(c.get("big", true)).isNull();
    }

    private static void expect(HttpResponse<String> r, int status, String message) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("json");
        assertThat(r.body()).contains(message).contains("\"status\":" + status);
    }

    /**
     * Four clients, one per node, put, compare-and-set, delete and read (linearizable reads) a few
     * keys while node 3 is killed; the recorded history must be linearizable: every acknowledged
     * write is there, in an order consistent with real time.
     */
    @Test
    @Order(3)
    void killingANodeLosesNoAcknowledgedWriteAndTheHistoryIsLinearizable() throws Exception {
        HistoryRecorder recorder = new HistoryRecorder();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < NODES; t++) {
            int id = t;
            clients.add(Thread.ofPlatform().start(() -> runClient(id, recorder, stop)));
        }
        JsonNode before = client(0).derecho();
        int viewBefore = before.path("view").path("id").asInt();
        // Let the clients work a while before the kill: enough operations recorded, on every node.
        await().atMost(Duration.ofSeconds(60)).until(() -> recorder.history().size() > 300);
        cluster.kill(VICTIM);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode d = client(0).derecho();
            assertThat(d.path("view").path("id").asInt()).isGreaterThan(viewBefore);
            assertThat(d.path("view").path("departed").toString()).contains(String.valueOf(VICTIM));
        });
        int afterKill = recorder.history().size();
        await().atMost(Duration.ofSeconds(60)).until(() -> recorder.history().size() > afterKill + 300);
        stop.set(true);
        for (Thread t : clients) {
            t.join();
        }

        History history = recorder.history();
        CheckResult result = LinearizabilityChecker.check(new KvMapModel(), history);
        System.out.println("history of " + history.size() + " operations around the kill of node " + VICTIM + ": " + result);
        assertThat(result.isLinearizable()).as("%s", result.explain()).isTrue();
        long ok = history.operations().stream().filter(o -> o.outcome() == io.derecho.testing.lin.Outcome.OK).count();
        assertThat(ok).as("acknowledged operations").isGreaterThan(500);

        // The survivors serve every key, agree on every value, and report the new view.
        for (int key = 0; key < 6; key++) {
            Entry first = client(0).get("h" + key, true);
            for (int node = 1; node < NODES - 1; node++) {
                assertThat(client(node).get("h" + key, true)).isEqualTo(first);
            }
        }
        for (int node = 0; node < NODES - 1; node++) {
            JsonNode d = client(node).derecho();
            assertThat(d.path("state").asString()).isEqualTo("RUNNING");
            assertThat(d.path("view").path("members").size()).isEqualTo(NODES - 1);
            assertThat(client(node).health()).isEqualTo("UP");
        }
        JsonNode d = client(2).derecho();
        assertThat(d.path("subgroups").toString()).contains("\"members\":[2]");
        assertThat(d.path("summary").asString()).contains("kv/1 [2] (1 of 2 configured missing)");
        assertThat(d.path("statistics").path("failuresSuspected").asLong()).isEqualTo(1);
        // No false suspicion: under this load, the survivors suspected the killed node and no other.
        for (int node = 0; node < NODES - 1; node++) {
            List<String> suspicions = java.nio.file.Files.readAllLines(cluster.log(node)).stream()
                    .filter(l -> l.contains(" suspects node ")).toList();
            assertThat(suspicions).as("suspicions in %s", cluster.log(node))
                    .allMatch(l -> l.contains("suspects node " + VICTIM + " of having failed"));
        }
    }

    /** One client on node {@code id} (falling over to the next node when its node is gone). */
    private void runClient(int id, HistoryRecorder recorder, AtomicBoolean stop) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int node = id;
        int seq = 0;
        String name = "c" + id;
        while (!stop.get()) {
            String key = "h" + random.nextInt(6);
            KvClient c = new KvClient(cluster.url(node), Duration.ofSeconds(5));
            int kind = random.nextInt(10);
            String value = name + "-" + seq++;
            long h;
            try {
                if (kind < 4) {
                    h = recorder.invoke(name, "put", key, value);
                    try {
                        c.put(key, value);
                        recorder.complete(h);
                    } catch (IOException e) {
                        recorder.unknown(h);
                        node = failover(node, e);
                    }
                } else if (kind < 7) {
                    h = recorder.invoke(name, "get", key);
                    try {
                        Entry e = c.get(key, true);
                        recorder.complete(h, e == null ? null : e.value());
                    } catch (IOException e) {
                        recorder.fail(h); // a read that got no answer changed nothing
                        node = failover(node, e);
                    }
                } else if (kind < 9) {
                    String expected = random.nextBoolean() ? null : "c" + random.nextInt(NODES) + "-" + random.nextInt(Math.max(1, seq));
                    h = recorder.invoke(name, "cas", key, expected, value);
                    try {
                        recorder.complete(h, c.compareAndSet(key, expected, value));
                    } catch (IOException e) {
                        recorder.unknown(h);
                        node = failover(node, e);
                    }
                } else {
                    h = recorder.invoke(name, "delete", key);
                    try {
                        c.delete(key);
                        recorder.complete(h);
                    } catch (IOException e) {
                        recorder.unknown(h);
                        node = failover(node, e);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** After a failed request: a node that is down or cannot serve moves the client to the next node. */
    private int failover(int node, IOException e) {
        if (e instanceof KvClient.HttpError he && he.status() < 500) {
            throw new AssertionError("unexpected client error from node " + node + ": " + e.getMessage(), e);
        }
        return node == VICTIM || !cluster.process(node).isAlive() ? (node + 1) % (NODES - 1) : node;
    }
}
