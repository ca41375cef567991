package io.derecho.object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.derecho.config.GroupConfig;
import io.derecho.config.ShardSpec;
import io.derecho.multicast.MessageTooLargeException;
import io.derecho.testing.ProcessCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Replicated objects over real TCP (nodes in one JVM): ordered calls run on every replica in one
 * order and reply from each; queries run on one; non-members relay; errors come back typed.
 */
class ReplicatedObjectTest {
    private final List<Group> groups = new ArrayList<>();

    @AfterEach
    void closeAll() {
        for (Group g : groups) {
            g.close();
        }
        Counter.GROUPS.clear();
        Counter.gate = new CountDownLatch(0);
    }

    /** Nodes 0..n-1; subgroup "counters" with one shard of nodes 0..members-1. */
    private List<Group> start(int n, int members, Class<? extends Counter>[] types) throws Exception {
        int[] ports = ProcessCluster.freePorts(n);
        GroupConfig.Builder b = GroupConfig.builder("objects");
        List<Integer> shard = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            b.member(i, "127.0.0.1", ports[i]);
            if (i < members) {
                shard.add(i);
            }
        }
        GroupConfig config = b.subgroup("counters", new ShardSpec(shard, null, null, null)).build();
        for (int i = 0; i < n; i++) {
            Class<? extends Counter> type = types[i];
            Group g = register(Group.builder(config, i), type).start();
            groups.add(g);
            Counter.GROUPS.put(i, g);
        }
        for (Group g : groups) {
            g.awaitReady(Duration.ofSeconds(30));
        }
        return groups;
    }

    private static <T extends Counter> Group.Builder register(Group.Builder b, Class<T> type) {
        return b.replicate(type, "counters", () -> newInstance(type));
    }

    private static <T extends Counter> T newInstance(Class<T> type) {
        try {
            return type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Counter>[] all(int n, Class<? extends Counter> type) {
        Class<? extends Counter>[] t = new Class[n];
        java.util.Arrays.fill(t, type);
        return t;
    }

    @Test
    @Timeout(60)
    void orderedCallsRunOnEveryReplicaInOneOrderAndEveryMemberReplies() throws Exception {
        List<Group> g = start(3, 3, all(3, Counter.class));
        List<Thread> callers = new ArrayList<>();
        List<Long> versions = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < 3; i++) {
            Replicated<Counter> counter = g.get(i).replicated(Counter.class);
            callers.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int k = 0; k < 200; k++) {
                        QueryResults<Long> r = counter.ordered(Call.of(Counter::add, 1L));
                        Map<Integer, Long> replies = r.all().get(10, TimeUnit.SECONDS);
                        assertThat(replies).containsOnlyKeys(0, 1, 2);
                        assertThat(replies.values()).as("every replica returns the same value").containsOnly(r.get());
                        versions.add(r.version().get());
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }));
        }
        for (Thread t : callers) {
            t.join(30_000);
        }
        assertThat(versions).hasSize(600).doesNotHaveDuplicates();
        for (Group x : g) {
            assertThat(x.replicated(Counter.class).local().get()).isEqualTo(600);
        }
        QueryResults<Long> q = g.get(0).replicated(Counter.class).p2p(2, Call.of(Counter::get));
        assertThat(q.get(Duration.ofSeconds(10))).isEqualTo(600);
        assertThat(q.replies().get().keySet()).containsExactly(2);
        QueryResults<Long> first = g.get(1).replicated(Counter.class).ordered(Call.of(Counter::versionOfThisCall));
        assertThat(first.get()).as("the handler sees its call's version").isEqualTo(first.version().get());
        QueryResults<Long> second = g.get(2).replicated(Counter.class).ordered(Call.of(Counter::versionOfThisCall));
        assertThat(second.version().get()).isGreaterThan(first.version().get());
        assertThat(Replicated.currentVersion()).as("outside a handler").isEqualTo(-1);
        // getOwn: this node's own replica's reply, the same value every replica returns.
        QueryResults<Long> own = g.get(1).replicated(Counter.class).ordered(Call.of(Counter::add, 10L));
        long mine = own.getOwn(Duration.ofSeconds(10));
        assertThat(mine).isEqualTo(610);
        assertThat(own.replies().get().get(1).get()).isEqualTo(mine);
        assertThat(own.all().get(10, TimeUnit.SECONDS).values()).containsOnly(mine);
        assertThat(q.getOwn(Duration.ofSeconds(10))).as("not a replier: as get").isEqualTo(600);
    }

    @Test
    @Timeout(60)
    void aNonMemberQueriesAndRelaysOrderedCallsThroughAMember() throws Exception {
        List<Group> g = start(4, 3, all(4, Counter.class));
        assertThatThrownBy(() -> g.get(3).replicated(Counter.class)).hasMessageContaining("serves no shard");
        PeerCaller<Counter> peers = g.get(3).peers(Counter.class);
        for (int k = 1; k <= 10; k++) {
            assertThat(peers.relay(0, Call.of(Counter::add, 2L)).get(Duration.ofSeconds(10))).isEqualTo(2L * k);
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> g.get(2).replicated(Counter.class).local().get() == 20);
        assertThat(peers.query(0, Call.of(Counter::get)).get(Duration.ofSeconds(10))).isEqualTo(20);
        assertThat(peers.queryEachShard(Call.of(Counter::get))).hasSize(1);
    }

    @Test
    @Timeout(60)
    void aPointToPointCallFromInsideAnOrderedHandlerWorks() throws Exception {
        List<Group> g = start(3, 3, all(3, Counter.class));
        g.get(0).replicated(Counter.class).ordered(Call.of(Counter::add, 5L)).get();
        // Every replica, inside the ordered handler, asks node 2's replica (itself included) what it holds: 5.
        Map<Integer, Long> read = g.get(1).replicated(Counter.class).ordered(Call.of(Counter::readFrom, 2)).all()
                .get(20, TimeUnit.SECONDS);
        assertThat(read).containsOnlyKeys(0, 1, 2).containsValues(5L, 5L, 5L);
    }

    @Test
    @Timeout(60)
    void remoteExceptionsUnknownMethodsRemovedMembersAndOversizeArgumentsGiveTypedErrors() throws Exception {
        Class<? extends Counter>[] types = all(3, Counter.class);
        types[0] = CounterV2.class;
        List<Group> g = start(3, 3, types);
        Replicated<Counter> at1 = g.get(1).replicated(Counter.class);

        QueryResults<Long> threw = at1.ordered(Call.of(Counter::failIfNegative, -3L));
        assertThatThrownBy(threw::get).isInstanceOf(RemoteInvocationException.class)
                .hasMessageContaining("Counter.failIfNegative(long) threw on node")
                .hasMessageContaining("java.lang.IllegalArgumentException: negative delta -3");
        assertThat(threw.replies().get().keySet()).containsExactly(0, 1, 2);
        assertThatThrownBy(() -> threw.all().join()).hasCauseInstanceOf(RemoteInvocationException.class);

        QueryResults<Long> unknown = g.get(0).replicated(CounterV2.class).ordered(Call.of(CounterV2::twice));
        Map<Integer, java.util.concurrent.CompletableFuture<Long>> replies = unknown.replies().get(10, TimeUnit.SECONDS);
        assertThat(replies.get(0).get(10, TimeUnit.SECONDS)).isZero();
        assertThatThrownBy(() -> replies.get(1).get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UnknownMethodException.class).hasMessageContaining("twice()");

        byte[] tooBig = new byte[(16 << 20) + 1]; // the default profile's maxPayload is 16 MiB
        assertThatThrownBy(() -> at1.ordered(Call.of(Counter::absorb, tooBig))).isInstanceOf(MessageTooLargeException.class)
                .hasMessageContaining("exceeds maxPayload");
        assertThatThrownBy(() -> at1.p2p(2, Call.of(Counter::absorb, tooBig)).get(Duration.ofSeconds(5)))
                .isInstanceOf(RpcException.class).hasMessageContaining("exceeds the frame limit");
        byte[] huge = new byte[g.get(1).node().maxP2PBytes() + 10];
        assertThatThrownBy(() -> g.get(1).node().sendP2P(2, huge)).isInstanceOf(MessageTooLargeException.class)
                .hasMessageContaining("exceeds the frame limit");
        int tooLargeReply = g.get(1).node().maxP2PBytes() + 100;
        assertThatThrownBy(() -> at1.p2p(2, Call.of(Counter::blob, tooLargeReply)).get(Duration.ofSeconds(10)))
                .isInstanceOf(RemoteInvocationException.class).hasMessageContaining("the reply does not fit a message");
        // State transfer's methods are not calls: running snapshot()/restore() on every replica would be wrong.
        assertThatThrownBy(() -> at1.ordered(Call.of(Counter::snapshot)).get(Duration.ofSeconds(10)))
                .hasMessageContaining("snapshot");
        // Garbage point to point: logged and ignored, calls still work.
        g.get(1).node().sendP2P(2, new byte[] {4, 1, 2});
        g.get(1).node().sendP2P(2, new byte[] {99});

        Counter.gate = new CountDownLatch(1);
        QueryResults<Long> pending = at1.p2p(2, Call.of(Counter::slowGet));
        g.get(2).close();
        assertThatThrownBy(() -> pending.get(Duration.ofSeconds(20))).isInstanceOf(NodeRemovedException.class)
                .hasMessageContaining("node 2 left the group before replying to Counter.slowGet()");
        Counter.gate.countDown();
        assertThat(at1.ordered(Call.of(Counter::add, 1L)).all().get(20, TimeUnit.SECONDS)).containsOnlyKeys(0, 1);
    }

    @Test
    @Timeout(60)
    void anOrderedCallFromInsideAHandlerIsRefusedClearly() throws Exception {
        List<Group> g = start(2, 2, all(2, Counter.class));
        Replicated<Counter> c = g.get(0).replicated(Counter.class);
        Thread t = Thread.ofPlatform().start(() -> { });
        t.join();
        assertThat(HandlerContext.inOrderedHandler()).isFalse();
        assertThat(c.ordered(Call.of(Counter::add, 1L)).get()).isEqualTo(1);
        assertThatThrownBy(() -> Call.of((Counter x) -> x.get()).method(Counter.class))
                .hasMessageContaining("not a lambda");
    }
}
