package io.derecho.spring.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.derecho.object.Call;
import io.derecho.object.QueryResults;
import io.derecho.spring.Derecho;
import io.derecho.spring.DerechoEndpoint;
import io.derecho.spring.DerechoHealthIndicator;
import io.derecho.spring.ReplicatedCalls;
import io.derecho.spring.testing.Contexts;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;

/**
 * Five application contexts in one JVM form one group: the {@link Ledger} subgroup has two shards
 * of two members ({0, 1} and {2, 3}); node 4 holds no shard and its calls are relayed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class ReplicatedBeanTest {
    private static final int NODES = 5;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @ComponentScan
    static class App {
    }

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    private final List<List<String>> properties = new ArrayList<>();

    @BeforeAll
    void startGroup() throws Exception {
        int[] ports = Contexts.freePorts(NODES);
        List<List<String>> props = new ArrayList<>();
        for (int id = 0; id < NODES; id++) {
            List<String> p = new ArrayList<>(Contexts.memberProperties(id, "ledger-test", ports));
            p.addAll(List.of("derecho.subgroups[0].name=accounts",
                    "derecho.subgroups[0].shards[0].members=0,1", "derecho.subgroups[0].shards[1].members=2,3",
                    "derecho.subgroups[1].name=notes", "derecho.subgroups[1].shards[0].members=0,1,2,3,4",
                    "spring.profiles.active=swiss",
                    "management.endpoints.access.default=read-only"));
            props.add(p);
        }
        properties.addAll(props);
        contexts.addAll(Contexts.startAll(App.class, props));
    }

    @AfterAll
    void stopGroup() {
        contexts.forEach(ConfigurableApplicationContext::close);
    }

    private Ledger ledger(int node) {
        return contexts.get(node).getBean(Ledger.class);
    }

    private Derecho derecho(int node) {
        return contexts.get(node).getBean(Derecho.class);
    }

    /** Every replica's balances, read on each member of each shard alone. */
    private Map<Integer, TreeMap<String, Long>> replicas(int[][] shards) throws Exception {
        Map<Integer, TreeMap<String, Long>> out = new java.util.TreeMap<>();
        for (int shard = 0; shard < shards.length; shard++) {
            for (int member : shards[shard]) {
                QueryResults<TreeMap<String, Long>> r = derecho(0).group().peers(Ledger.class)
                        .p2p(member, shard, Call.of(Ledger::all));
                out.put(member, r.get(Duration.ofSeconds(10)));
            }
        }
        return out;
    }

    @Test
    @Order(1)
    void injectedBeanIsAProxyAndReplicasGetConstructorInjectionAndValues() {
        Ledger proxy = ledger(4);
        assertThat(proxy.getClass()).isNotEqualTo(Ledger.class);
        assertThat(proxy.toString()).contains("replicated Ledger");
        assertThat(ledger(0).currency()).isEqualTo("CHF"); // @Value from the active profile, in the replica, read by a query
        // Without a shard key, a node holding no shard of a two-shard subgroup cannot know where to go.
        assertThatThrownBy(proxy::currency).hasMessageContaining("@ShardKey");
    }

    @Test
    @Order(2)
    void orderedCallsGiveIdenticalStateOnEveryReplicaAndQueriesReadIt() throws Exception {
        List<Thread> writers = new ArrayList<>();
        for (int node = 0; node < NODES; node++) {
            Ledger l = ledger(node);
            Thread t = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 40; i++) {
                    l.deposit("acct-" + (i % 8), 1 + i % 3);
                }
            });
            writers.add(t);
        }
        for (Thread t : writers) {
            t.join();
        }
        // Every deposit is applied by every replica of its shard, in the same order.
        Map<Integer, TreeMap<String, Long>> replicas = replicas(new int[][] {{0, 1}, {2, 3}});
        assertThat(replicas.get(0)).isEqualTo(replicas.get(1));
        assertThat(replicas.get(2)).isEqualTo(replicas.get(3));
        long total = replicas.get(0).values().stream().mapToLong(Long::longValue).sum()
                + replicas.get(2).values().stream().mapToLong(Long::longValue).sum();
        long expected = 0;
        for (int i = 0; i < 40; i++) {
            expected += 1 + i % 3;
        }
        assertThat(total).isEqualTo(NODES * expected);
        for (int node = 0; node < NODES; node++) {
            for (int a = 0; a < 8; a++) {
                String account = "acct-" + a;
                int shard = derecho(node).calls(Ledger.class).shardOf(account);
                TreeMap<String, Long> owner = replicas.get(shard == 0 ? 0 : 2);
                assertThat(ledger(node).balance(account)).as("balance of %s read on node %d", account, node)
                        .isEqualTo(owner.get(account));
            }
        }
        // The replicas were created by Spring: node 0's singleton Audit saw every deposit of shard 0.
        long shard0Deposits = 0;
        for (int i = 0; i < 40; i++) {
            shard0Deposits += derecho(0).calls(Ledger.class).shardOf("acct-" + (i % 8)) == 0 ? NODES : 0;
        }
        assertThat(contexts.get(0).getBean(Audit.class).deposits()).isEqualTo(shard0Deposits);
    }

    @Test
    @Order(3)
    void shardKeyRoutesEachAccountToOneShardOnly() throws Exception {
        ReplicatedCalls<Ledger> calls = derecho(4).calls(Ledger.class);
        assertThat(calls.shardCount()).isEqualTo(2);
        int[] perShard = new int[2];
        for (int a = 0; a < 40; a++) {
            String account = "route-" + a;
            assertThat(ledger(4).deposit(account, 5)).isEqualTo(5); // node 4 holds no shard: relayed
            perShard[calls.shardOf(account)]++;
            // Once a call returned every replica has applied it: a query of either replica sees it.
            assertThat(ledger(4).balance(account)).isEqualTo(5);
            assertThat(ledger(4).balance(account)).isEqualTo(5);
        }
        assertThat(perShard[0]).isPositive();
        assertThat(perShard[1]).isPositive();
        Map<Integer, TreeMap<String, Long>> replicas = replicas(new int[][] {{0, 1}, {2, 3}});
        for (int a = 0; a < 40; a++) {
            String account = "route-" + a;
            int shard = calls.shardOf(account);
            int in = shard == 0 ? 0 : 2;
            int notIn = shard == 0 ? 2 : 0;
            assertThat(replicas.get(in)).as(account).containsEntry(account, 5L);
            assertThat(replicas.get(notIn)).as(account).doesNotContainKey(account);
            // the same key maps to the same shard on every node
            for (int node = 0; node < NODES; node++) {
                assertThat(derecho(node).calls(Ledger.class).shardOf(account)).isEqualTo(shard);
            }
        }
    }

    @Test
    @Order(4)
    void aSecondReplicatedBeanLivesInItsOwnSubgroup() throws Exception {
        List<Thread> writers = new ArrayList<>();
        for (int node = 0; node < NODES; node++) {
            Notes notes = contexts.get(node).getBean(Notes.class);
            int id = node;
            writers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10; i++) {
                    notes.add("n" + id + "-" + i);
                }
            }));
        }
        for (Thread t : writers) {
            t.join();
        }
        // One shard on every node: every replica holds the same 50 notes in the same order.
        List<String> first = contexts.get(0).getBean(Notes.class).all();
        assertThat(first).hasSize(5 * 10);
        for (int node = 0; node < NODES; node++) {
            assertThat(derecho(0).group().peers(Notes.class).p2p(node, 0, Call.of(Notes::all)).get(Duration.ofSeconds(10)))
                    .as("node %d's notes", node).isEqualTo(first);
        }
        assertThat(derecho(0).calls(Notes.class).subgroup()).isEqualTo("notes");
    }

    @Test
    @Order(5)
    void escapeHatchGivesEveryReplyAndTheVersion() throws Exception {
        ReplicatedCalls<Ledger> calls = derecho(0).calls(Ledger.class);
        String account = "acct-0";
        int shard = calls.shardOf(account);
        QueryResults<Long> r = calls.ordered(account, Call.of(Ledger::deposit, account, 100L));
        Map<Integer, Long> each = r.all().get();
        int[] members = shard == 0 ? new int[] {0, 1} : new int[] {2, 3};
        assertThat(each).containsOnlyKeys(members[0], members[1]);
        assertThat(each.get(members[0])).isEqualTo(each.get(members[1]));
        long version = r.version().get();
        assertThat(version >>> 32).isEqualTo(derecho(0).view().id());
        assertThat(calls.queryEachShard(Call.of(Ledger::all))).hasSize(2);
    }

    @Test
    @Order(6)
    void actuatorEndpointHealthAndMetersReflectAViewChange() {
        DerechoEndpoint endpoint = contexts.get(0).getBean(DerechoEndpoint.class);
        DerechoHealthIndicator health = contexts.get(0).getBean(DerechoHealthIndicator.class);
        Map<String, Object> before = endpoint.derecho();
        assertThat(before.get("state")).isEqualTo("RUNNING");
        assertThat((String) before.get("summary")).startsWith("view 0: 5 members; accounts/0 [0, 1]; accounts/1 [2, 3]")
                .endsWith("nothing pending");
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        @SuppressWarnings("unchecked")
        Map<String, Object> view = (Map<String, Object>) before.get("view");
        int viewId = (Integer) view.get("id");
        assertThat((List<?>) view.get("members")).hasSize(NODES);
        assertThat(before.get("myRoles").toString()).contains("leader").contains("accounts");
        assertThat(before.get("subgroups").toString()).contains("frontier").contains("stable");
        MeterRegistry meters = contexts.get(0).getBean(MeterRegistry.class);
        assertThat(meters.get("derecho.messages.delivered").functionCounter().count()).isPositive();
        assertThat(meters.get("derecho.call.latency").tag("kind", "ordered").timer().count()).isPositive();

        Derecho leaver = derecho(4);
        contexts.get(4).close(); // node 4 leaves cleanly
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> after = endpoint.derecho();
            @SuppressWarnings("unchecked")
            Map<String, Object> v = (Map<String, Object>) after.get("view");
            assertThat((Integer) v.get("id")).isGreaterThan(viewId);
            assertThat((List<?>) v.get("members")).hasSize(NODES - 1);
            assertThat(v.get("departed")).isEqualTo(new int[] {4});
        });
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(health.health().getDetails()).containsEntry("view", derecho(0).view().id());
        // @EventListener beans hear of every view, in order.
        ViewEvents events = contexts.get(0).getBean(ViewEvents.class);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events.seen())
                .extracting(e -> e.view().id()).containsSubsequence(0, derecho(0).view().id()));
        assertThat(events.seen().getLast().view().members()).doesNotContain(4);
        assertThat(events.seen()).allMatch(e -> e.stopped() == null && e.nodeId() == 0);
        assertThat(meters.get("derecho.views.installed").functionCounter().count()).isGreaterThanOrEqualTo(2);
        assertThat(meters.get("derecho.view.members").gauge().value()).isEqualTo(NODES - 1);
        assertThat(leaver.isRunning()).isFalse();
        assertThatThrownBy(leaver::group).hasMessageContaining("not started");
        assertThat(new DerechoHealthIndicator(leaver).health().getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    @Order(7)
    void aMemberThatRejoinsGetsItsShardsStateThroughStateTransfer() throws Exception {
        Map<Integer, TreeMap<String, Long>> before = replicas(new int[][] {{0, 1}, {2, 3}});
        contexts.get(3).close(); // node 3 leaves; shard 1 goes on with node 2 alone
        await().atMost(Duration.ofSeconds(30)).until(() -> !derecho(0).view().hasMember(3));
        DerechoEndpoint endpoint = contexts.get(0).getBean(DerechoEndpoint.class);
        assertThat((String) endpoint.derecho().get("summary")).contains("accounts/1 [2] (1 of 2 configured missing)");
        ledger(0).deposit(accountIn(1), 7); // a write node 3 misses while it is away
        List<String> rejoin = new ArrayList<>(properties.get(3));
        rejoin.add("derecho.join=true");
        contexts.set(3, Contexts.start(App.class, rejoin));
        assertThat(derecho(3).view().hasMember(3)).isTrue();
        Map<Integer, TreeMap<String, Long>> after = replicas(new int[][] {{0, 1}, {2, 3}});
        assertThat(after.get(3)).isEqualTo(after.get(2));
        assertThat(after.get(3).get(accountIn(1))).isEqualTo(before.get(2).getOrDefault(accountIn(1), 0L) + 7);
    }

    /** An account that maps to {@code shard}. */
    private String accountIn(int shard) {
        for (int a = 0; ; a++) {
            if (derecho(0).calls(Ledger.class).shardOf("acct-" + a) == shard) {
                return "acct-" + a;
            }
        }
    }
}
