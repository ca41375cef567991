package io.derecho.spring.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.derecho.multicast.ShardLayout;
import io.derecho.object.Call;
import io.derecho.spring.Derecho;
import io.derecho.spring.DerechoEndpoint;
import io.derecho.spring.DerechoHealthIndicator;
import io.derecho.spring.testing.Contexts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;

/**
 * {@code derecho.layout}: the shards are shapes (2 shards of 2 to 3 members), not member lists;
 * a node that is not one of the configured members joins and is given a shard, with its state.
 */
class DynamicLayoutTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @ComponentScan
    static class App {
    }

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    @AfterEach
    void stop() {
        contexts.forEach(ConfigurableApplicationContext::close);
    }

    private static List<String> properties(int id, int[] ports) {
        return properties(id, ports, 3);
    }

    private static List<String> properties(int id, int[] ports, int maxMembers) {
        List<String> p = new ArrayList<>(Contexts.memberProperties(id, "dynamic-test", ports));
        p.addAll(List.of("derecho.layout.subgroups[0].name=accounts", "derecho.layout.subgroups[0].shards=2",
                "derecho.layout.subgroups[0].min-members=2", "derecho.layout.subgroups[0].max-members=" + maxMembers,
                "derecho.layout.subgroups[1].name=notes")); // the package's other replicated bean: one shard, every node
        return p;
    }

    @Test
    @Timeout(120)
    void aJoinerIsGivenAShardAndItsState() throws Exception {
        int[] ports = Contexts.freePorts(5);
        int[] initial = java.util.Arrays.copyOf(ports, 4);
        List<List<String>> props = new ArrayList<>();
        for (int id = 0; id < 4; id++) {
            props.add(properties(id, initial));
        }
        contexts.addAll(Contexts.startAll(App.class, props));
        Derecho d0 = contexts.get(0).getBean(Derecho.class);
        assertThat(d0.calls(Ledger.class).shardCount()).isEqualTo(2);
        Ledger ledger = contexts.get(0).getBean(Ledger.class);
        for (int a = 0; a < 20; a++) {
            ledger.deposit("acct-" + a, a);
        }

        // Node 4 is not a configured member: it joins, listening where the group can reach it.
        List<String> joiner = properties(4, initial);
        joiner.addAll(List.of("derecho.join=true", "derecho.listen-host=127.0.0.1", "derecho.listen-port=" + ports[4]));
        contexts.add(Contexts.start(App.class, joiner));
        Derecho d4 = contexts.get(4).getBean(Derecho.class);
        List<ShardLayout> mine = d4.group().myShards().stream().filter(s -> s.subgroupName().equals("accounts")).toList();
        assertThat(mine).as("the joiner's shards in %s", d4.view()).hasSize(1);
        ShardLayout shard = mine.get(0);
        assertThat(shard.members()).hasSize(3).contains(4);

        // Its replica holds the shard's state (received by state transfer), equal to another member's.
        int other = shard.members()[0] == 4 ? shard.members()[1] : shard.members()[0];
        TreeMap<String, Long> theirs = d0.group().peers(Ledger.class).p2p(other, shard.shard(), Call.of(Ledger::all))
                .get(Duration.ofSeconds(10));
        TreeMap<String, Long> its = d0.group().peers(Ledger.class).p2p(4, shard.shard(), Call.of(Ledger::all))
                .get(Duration.ofSeconds(10));
        assertThat(theirs).isNotEmpty();
        assertThat(its).isEqualTo(theirs);
        // Calls through the joiner's proxy go to the right shard; its queries read its own replica there.
        Ledger at4 = contexts.get(4).getBean(Ledger.class);
        for (int a = 0; a < 20; a++) {
            assertThat(at4.deposit("acct-" + a, 1)).isEqualTo(a + 1L);
            assertThat(ledger.balance("acct-" + a)).isEqualTo(a + 1L);
        }
    }

    @Test
    @Timeout(120)
    void healthIsDownWhileTheViewCannotFillTheLayoutAndUpAgainOnceItCan() throws Exception {
        int[] ports = Contexts.freePorts(4);
        List<List<String>> props = new ArrayList<>();
        for (int id = 0; id < 4; id++) {
            props.add(properties(id, ports, 2)); // 2 shards of exactly 2: every one of the 4 nodes is needed
        }
        contexts.addAll(Contexts.startAll(App.class, props));
        DerechoEndpoint endpoint = contexts.get(0).getBean(DerechoEndpoint.class);
        DerechoHealthIndicator health = contexts.get(0).getBean(DerechoHealthIndicator.class);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);

        contexts.get(3).close(); // 3 nodes cannot give 2 shards 2 members each
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(endpoint.derecho().get("state")).isEqualTo("INADEQUATE");
            assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        });
        assertThat(health.health().getDetails()).containsEntry("state", "INADEQUATE");

        List<String> back = new ArrayList<>(props.get(3));
        back.add("derecho.join=true");
        contexts.set(3, Contexts.start(App.class, back));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(endpoint.derecho().get("state")).isEqualTo("RUNNING");
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        });
        Ledger ledger = contexts.get(0).getBean(Ledger.class);
        assertThat(ledger.deposit("acct-1", 5)).isEqualTo(5);
    }
}
