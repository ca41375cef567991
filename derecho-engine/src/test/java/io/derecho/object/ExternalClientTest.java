package io.derecho.object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.derecho.config.GroupConfig;
import io.derecho.config.ShardSpec;
import io.derecho.testing.ProcessCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * External clients over real TCP: a process outside the group calls queries and ordered updates
 * through any member, hears view changes and notifications, and moves to another member when its
 * member leaves.
 */
class ExternalClientTest {
    private final List<Group> groups = new ArrayList<>();

    @AfterEach
    void closeAll() {
        groups.forEach(Group::close);
        Counter.GROUPS.clear();
    }

    @Test
    @Timeout(90)
    void aClientCallsThroughAnyMemberFollowsViewsAndMovesWhenItsMemberLeaves() throws Exception {
        int[] ports = ProcessCluster.freePorts(4);
        GroupConfig.Builder b = GroupConfig.builder("clients");
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            b.member(i, "127.0.0.1", ports[i]);
            addresses.add("127.0.0.1:" + ports[i]);
        }
        // Node 3 is a member of the group but not of the shard: calls through it are forwarded.
        GroupConfig config = b.subgroup("counters", new ShardSpec(List.of(0, 1, 2), null, null, null)).build();
        for (int i = 0; i < 4; i++) {
            Group g = Group.builder(config, i).replicate(Counter.class, "counters", Counter::new).start();
            groups.add(g);
            Counter.GROUPS.put(i, g);
        }
        for (Group g : groups) {
            g.awaitReady(Duration.ofSeconds(30));
        }
        try (ExternalClient client = ExternalClient.connect("clients", List.of(addresses.get(3)))) {
            assertThat(client.connectedTo()).isEqualTo(addresses.get(3));
            assertThat(client.shardMembers("counters", 0)).containsExactly(0, 1, 2);
            for (int k = 1; k <= 20; k++) {
                assertThat(client.ordered(Counter.class, "counters", 0, Call.of(Counter::add, 1L)).get(10, TimeUnit.SECONDS))
                        .isEqualTo(k);
            }
            assertThat(client.query(Counter.class, "counters", 0, Call.of(Counter::get)).get(10, TimeUnit.SECONDS))
                    .isGreaterThanOrEqualTo(20L);
            assertThatThrownBy(() -> client.ordered(Counter.class, "counters", 0, Call.of(Counter::failIfNegative, -1L))
                    .get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(RemoteInvocationException.class).hasMessageContaining("negative delta -1");
            assertThatThrownBy(() -> client.query(Counter.class, "counters", 7, Call.of(Counter::get)).get(10, TimeUnit.SECONDS))
                    .hasMessageContaining("has no shard 7");

            List<String> heard = new CopyOnWriteArrayList<>();
            client.subscribe("counter", p -> heard.add(new String(p, StandardCharsets.UTF_8)));
            // Notifications come from the member the client is connected to (node 3 serves no shard):
            // move the client to a shard member first by closing node 3, its member.
            int viewBefore = client.viewId();
            groups.get(3).close();
            await().atMost(30, TimeUnit.SECONDS).until(() -> client.connectedTo() != null
                    && !client.connectedTo().equals(addresses.get(3)));
            await().atMost(30, TimeUnit.SECONDS).until(() -> client.viewId() > viewBefore);
            assertThat(client.ordered(Counter.class, "counters", 0, Call.of(Counter::addAndNotify, 5L)).get(10, TimeUnit.SECONDS))
                    .isEqualTo(25L);
            await().atMost(10, TimeUnit.SECONDS).until(() -> heard.contains("25"));
        }
    }
}
