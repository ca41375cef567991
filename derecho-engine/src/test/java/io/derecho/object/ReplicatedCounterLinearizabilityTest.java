package io.derecho.object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.derecho.config.GroupConfig;
import io.derecho.layout.LayoutSpec;
import io.derecho.membership.LayoutPolicy;
import io.derecho.runtime.NodeOptions;
import io.derecho.testing.ProcessCluster;
import io.derecho.testing.lin.CheckResult;
import io.derecho.testing.lin.CounterModel;
import io.derecho.testing.lin.HistoryRecorder;
import io.derecho.testing.lin.LinearizabilityChecker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A replicated counter under concurrent ordered updates and reads from several nodes while a member
 * leaves and a new node joins (over real TCP, nodes in one JVM): the recorded history of ordered
 * operations is linearizable, every replica ends with the same value, and the joiner's state is its
 * donor's.
 */
class ReplicatedCounterLinearizabilityTest {
    private final List<Group> groups = new ArrayList<>();

    @AfterEach
    void closeAll() {
        groups.forEach(Group::close);
    }

    @Test
    @Timeout(120)
    void orderedCallsStayLinearizableAcrossALeaveAndAJoin() throws Exception {
        int[] ports = ProcessCluster.freePorts(5);
        GroupConfig.Builder b = GroupConfig.builder("lin");
        for (int i = 0; i < 4; i++) {
            b.member(i, "127.0.0.1", ports[i]);
        }
        GroupConfig config = b.build();
        LayoutPolicy layout = LayoutPolicy.of(LayoutSpec.builder().subgroup("counters", sg -> sg.members(2, 8)).build());
        for (int i = 0; i < 5; i++) {
            NodeOptions o = NodeOptions.defaults().layouts(layout);
            if (i == 4) {
                o = o.joining().listenAt("127.0.0.1", ports[4]);
            }
            groups.add(Group.builder(config, i).options(o).replicate(Counter.class, "counters", Counter::new).start());
            if (i == 3) {
                for (int k = 0; k < 4; k++) {
                    groups.get(k).awaitReady(Duration.ofSeconds(30));
                }
            }
        }
        HistoryRecorder history = new HistoryRecorder();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger completed = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int node : new int[] {0, 1, 2, 3}) {
            for (int c = 0; c < 2; c++) {
                clients.add(client(history, stop, groups.get(node), "n" + node + "c" + c, node * 10L + c, completed));
            }
        }
        await().atMost(30, TimeUnit.SECONDS).until(() -> completed.get() >= 150);
        groups.get(3).close(); // leaves cleanly during traffic
        groups.get(4).awaitReady(Duration.ofSeconds(30)); // the joiner, with the state
        long joinedWith = groups.get(4).replicated(Counter.class).local().get();
        clients.add(client(history, stop, groups.get(4), "n4c0", 40, completed));
        int before = completed.get();
        await().atMost(30, TimeUnit.SECONDS).until(() -> completed.get() >= before + 200);
        stop.set(true);
        for (Thread t : clients) {
            t.join(20_000);
        }
        CheckResult result = LinearizabilityChecker.check(new CounterModel(), history.history());
        assertThat(result.isLinearizable()).as("%s", result.explain()).isTrue();
        assertThat(result.operations()).isGreaterThan(200);
        long last = groups.get(0).replicated(Counter.class).ordered(Call.of(Counter::get)).get(Duration.ofSeconds(10));
        for (int node : new int[] {0, 1, 2, 4}) {
            await().atMost(10, TimeUnit.SECONDS).until(() -> groups.get(node).replicated(Counter.class).local().get() == last);
        }
        assertThat(joinedWith).as("the joiner started from its donor's state").isPositive();
    }

    private static Thread client(HistoryRecorder history, AtomicBoolean stop, Group g, String name, long seed,
                                 AtomicInteger completed) {
        return Thread.ofPlatform().name(name).start(() -> {
            Random r = new Random(seed);
            Replicated<Counter> counter = g.replicated(Counter.class);
            while (!stop.get()) {
                boolean add = r.nextInt(3) > 0;
                long delta = 1 + r.nextInt(5);
                long h = add ? history.invoke(name, "add", delta) : history.invoke(name, "get");
                try {
                    QueryResults<Long> q = add ? counter.ordered(Call.of(Counter::add, delta))
                            : counter.ordered(Call.of(Counter::get));
                    history.complete(h, q.get(Duration.ofSeconds(10)));
                    completed.incrementAndGet();
                } catch (InterruptedException e) {
                    history.unknown(h);
                    return;
                } catch (Exception e) {
                    history.unknown(h); // the node left: the call may or may not have taken effect
                    if (g.node().stoppedReason() != null) {
                        return;
                    }
                }
            }
        });
    }
}
