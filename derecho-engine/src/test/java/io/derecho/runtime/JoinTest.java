package io.derecho.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.derecho.config.GroupConfig;
import io.derecho.layout.LayoutSpec;
import io.derecho.membership.LayoutPolicy;
import io.derecho.membership.StateTransfer;
import io.derecho.membership.View;
import io.derecho.multicast.ShardLayout;
import io.derecho.testing.ProcessCluster;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Joins over real TCP (nodes in one JVM): a node joins a running group during traffic, receives
 * the shard's state and then takes part; a removed node comes back with the same id; bad joiners
 * (duplicate id, wrong group) are refused with a clear error; an inadequate layout waits for joins.
 */
class JoinTest {
    private final List<DerechoNode> nodes = new ArrayList<>();

    @AfterEach
    void closeAll() {
        for (DerechoNode n : nodes) {
            n.close();
        }
    }

    private String describeAll() {
        StringBuilder b = new StringBuilder();
        for (DerechoNode n : nodes) {
            b.append(n.describe()).append('\n');
        }
        return b.toString();
    }

    /** An application whose state is the list of messages it delivered; state transfer copies the list. */
    static final class ListApp implements StateTransfer {
        final List<String> delivered = new CopyOnWriteArrayList<>();
        volatile int received = -1;

        @Override
        public void writeState(ShardLayout shard, int viewId, OutputStream out) throws IOException {
            DataOutputStream d = new DataOutputStream(out);
            List<String> copy = List.copyOf(delivered);
            d.writeInt(copy.size());
            for (String s : copy) {
                d.writeUTF(s);
            }
            d.flush();
        }

        @Override
        public void readState(ShardLayout shard, int viewId, InputStream in) throws IOException {
            DataInputStream d = new DataInputStream(in);
            int n = d.readInt();
            List<String> copy = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                copy.add(d.readUTF());
            }
            delivered.clear();
            delivered.addAll(copy);
            received = n;
        }
    }

    private static final LayoutSpec ONE_SHARD = LayoutSpec.builder()
            .subgroup("s", sg -> sg.shards(1).members(2, 8)).build();

    private DerechoNode start(GroupConfig config, int id, ListApp app, NodeOptions options) {
        DerechoNode n = DerechoNode.start(config, id,
                (sg, sh, from, i, p, v) -> app.delivered.add(StandardCharsets.UTF_8.decode(p).toString()),
                options.state(app).layouts(LayoutPolicy.of(ONE_SHARD)));
        nodes.add(n);
        return n;
    }

    private static GroupConfig config(String name, int[] ports, int members) {
        GroupConfig.Builder b = GroupConfig.builder(name);
        for (int i = 0; i < members; i++) {
            b.member(i, "127.0.0.1", ports[i]);
        }
        return b.build();
    }

    @Test
    @Timeout(90)
    void aNodeJoinsDuringTrafficReceivesTheStateAndTakesPart() throws Exception {
        int[] ports = ProcessCluster.freePorts(4);
        GroupConfig config = config("join-test", ports, 3);
        ListApp[] apps = {new ListApp(), new ListApp(), new ListApp(), new ListApp()};
        List<View> viewsOf3 = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 3; i++) {
            start(config, i, apps[i], NodeOptions.defaults());
        }
        for (int i = 0; i < 3; i++) {
            nodes.get(i).awaitReady(Duration.ofSeconds(30));
        }
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
        Thread traffic = Thread.ofPlatform().start(() -> {
            try {
                // Until the joiner took part for a while; at most 200 messages ahead of node 0's deliveries.
                for (int m = 0; !stop.get(); m++) {
                    nodes.get(m % 3).sender(0, 0).send(("m" + m).getBytes(StandardCharsets.UTF_8));
                    sent.incrementAndGet();
                    int upTo = m;
                    if (apps[0].delivered.size() < upTo - 200) {
                        await().atMost(20, TimeUnit.SECONDS).pollInterval(1, TimeUnit.MILLISECONDS)
                                .until(() -> apps[0].delivered.size() >= upTo - 200);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        await().atMost(20, TimeUnit.SECONDS).until(() -> apps[0].delivered.size() > 300);
        long asked = System.nanoTime();
        DerechoNode joiner = start(config, 3, apps[3], NodeOptions.defaults().joining().listenAt("127.0.0.1", ports[3])
                .viewListener(viewsOf3::add));
        joiner.awaitReady(Duration.ofSeconds(20));
        long joinedMillis = (System.nanoTime() - asked) / 1_000_000;
        int atJoin = apps[3].delivered.size();
        await().atMost(30, TimeUnit.SECONDS).until(() -> apps[3].delivered.size() > atJoin + 300);
        stop.set(true);
        traffic.join(60_000);
        assertThat(traffic.isAlive()).as("traffic still blocked at %s:\n%s",
                java.util.Arrays.toString(traffic.getStackTrace()), describeAll()).isFalse();
        joiner.sender(0, 0).send("from the joiner".getBytes(StandardCharsets.UTF_8));
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(List.of(apps[0].delivered.size(),
                apps[1].delivered.size(), apps[2].delivered.size(), apps[3].delivered.size()))
                .as("deliveries (with the joiner's state)").containsOnly(sent.get() + 1));
        for (int i = 1; i < 4; i++) {
            assertThat(apps[i].delivered).as("node " + i).containsExactlyElementsOf(apps[0].delivered);
        }
        assertThat(apps[3].received).as("messages the joiner got with the state").isGreaterThan(300);
        assertThat(viewsOf3.getFirst().joined()).containsExactly(3);
        assertThat(viewsOf3.getFirst().layout().shards().getFirst().members()).contains(0, 1, 2, 3);
        assertThat(joinedMillis).as("join time (ms)").isLessThan(10_000);
    }

    @Test
    @Timeout(90)
    void aRemovedNodeRejoinsWithTheSameIdAndGetsTheCurrentState() throws Exception {
        int[] ports = ProcessCluster.freePorts(3);
        GroupConfig config = config("rejoin-test", ports, 3);
        ListApp[] apps = {new ListApp(), new ListApp(), new ListApp()};
        for (int i = 0; i < 3; i++) {
            start(config, i, apps[i], NodeOptions.defaults());
        }
        for (int i = 0; i < 3; i++) {
            nodes.get(i).awaitReady(Duration.ofSeconds(30));
        }
        for (int m = 0; m < 50; m++) {
            nodes.get(0).sender(0, 0).send(("a" + m).getBytes(StandardCharsets.UTF_8));
        }
        nodes.get(2).close(); // leaves cleanly
        await().atMost(20, TimeUnit.SECONDS).until(() -> nodes.get(0).view().members().length == 2);
        for (int m = 0; m < 50; m++) {
            nodes.get(1).sender(0, 0).send(("b" + m).getBytes(StandardCharsets.UTF_8));
        }
        await().atMost(20, TimeUnit.SECONDS).until(() -> apps[0].delivered.size() == 100);
        ListApp again = new ListApp();
        DerechoNode back = start(config, 2, again, NodeOptions.defaults().joining());
        back.awaitReady(Duration.ofSeconds(20));
        assertThat(back.view().members()).containsExactly(0, 1, 2);
        assertThat(again.delivered).containsExactlyElementsOf(apps[0].delivered);
        back.sender(0, 0).send("c".getBytes(StandardCharsets.UTF_8));
        await().atMost(20, TimeUnit.SECONDS).until(() -> apps[1].delivered.size() == 101);
        assertThat(again.delivered).containsExactlyElementsOf(apps[1].delivered);
    }

    @Test
    @Timeout(60)
    void aDuplicateIdAndAWrongGroupNameAreRefusedWithAClearError() throws Exception {
        int[] ports = ProcessCluster.freePorts(4);
        GroupConfig config = config("dup-test", ports, 2);
        start(config, 0, new ListApp(), NodeOptions.defaults());
        start(config, 1, new ListApp(), NodeOptions.defaults());
        nodes.get(0).awaitReady(Duration.ofSeconds(30));
        nodes.get(1).awaitReady(Duration.ofSeconds(30));
        DerechoNode dup = start(config, 1, new ListApp(), NodeOptions.defaults().joining().listenAt("127.0.0.1", ports[2])
                .joinTimeout(Duration.ofSeconds(20)));
        assertThatThrownBy(() -> dup.awaitReady(Duration.ofSeconds(15)))
                .hasMessageContaining("duplicate node id 1");
        assertThat(dup.stoppedReason()).contains("cannot join group 'dup-test'").contains("duplicate node id 1");

        GroupConfig other = GroupConfig.builder("another-group").member(0, "127.0.0.1", ports[0]).build();
        DerechoNode stranger = start(other, 5, new ListApp(), NodeOptions.defaults().joining()
                .listenAt("127.0.0.1", ports[3]).joinTimeout(Duration.ofSeconds(20)));
        assertThatThrownBy(() -> stranger.awaitReady(Duration.ofSeconds(15)))
                .hasMessageContaining("another-group").hasMessageContaining("does not match");
        assertThat(nodes.get(0).view().members()).containsExactly(0, 1);
    }

    @Test
    @Timeout(60)
    void anInadequateGroupWaitsForJoinsAndThenDelivers() throws Exception {
        int[] ports = ProcessCluster.freePorts(3);
        GroupConfig config = config("adequacy-test", ports, 1);
        LayoutSpec needsThree = LayoutSpec.builder().subgroup("s", sg -> sg.shards(1).members(3, 3)).build();
        ListApp[] apps = {new ListApp(), new ListApp(), new ListApp()};
        List<DerechoNode> group = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            NodeOptions o = NodeOptions.defaults().layouts(LayoutPolicy.of(needsThree));
            if (i > 0) {
                o = o.joining().listenAt("127.0.0.1", ports[i]);
            }
            int id = i;
            DerechoNode n = DerechoNode.start(config, i,
                    (sg, sh, from, x, p, v) -> apps[id].delivered.add(StandardCharsets.UTF_8.decode(p).toString()),
                    o.state(apps[i]));
            nodes.add(n);
            group.add(n);
            n.awaitReady(Duration.ofSeconds(20));
            if (i < 2) {
                assertThat(n.view().adequate()).isFalse();
                assertThat(n.view().inadequate()).contains("s");
                assertThat(n.sender(0, 0).trySendOwned(new byte[1])).isFalse();
            }
        }
        await().atMost(20, TimeUnit.SECONDS).until(() -> group.stream().allMatch(n -> n.view().adequate()
                && n.view().members().length == 3));
        Thread waiting = Thread.ofPlatform().start(() -> {
            try {
                group.get(0).sender(0, 0).send("hello".getBytes(StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiting.join(20_000);
        await().atMost(20, TimeUnit.SECONDS).until(() -> apps[0].delivered.size() == 1 && apps[1].delivered.size() == 1
                && apps[2].delivered.size() == 1);
    }
}
