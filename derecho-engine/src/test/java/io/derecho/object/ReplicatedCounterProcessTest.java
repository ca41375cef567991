package io.derecho.object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.derecho.testing.CounterClientMain;
import io.derecho.testing.CounterMemberMain;
import io.derecho.testing.MemberResults;
import io.derecho.testing.OpJournal;
import io.derecho.testing.ProcessCluster;
import io.derecho.testing.lin.CheckResult;
import io.derecho.testing.lin.CounterModel;
import io.derecho.testing.lin.History;
import io.derecho.testing.lin.LinearizabilityChecker;
import io.derecho.testing.lin.Operation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A replicated counter over real processes: members and an external client issue ordered updates
 * and reads while a member is killed with {@code kill -9} and comes back as a joiner. The merged
 * history of every process (the killed one's last calls count as unknown) is linearizable, and the
 * replicas end with the same value. Logs and journals stay under {@code target/cluster-tests/}.
 */
class ReplicatedCounterProcessTest {

    @Test
    @Timeout(240)
    void ordersStayLinearizableWhileAMemberIsKilledAndRejoins() throws Exception {
        Path dir = Path.of("target", "cluster-tests", "counter-" + System.currentTimeMillis());
        int[] ports = ProcessCluster.freePorts(3);
        String[] hosts = {"127.0.0.1", "127.0.0.1", "127.0.0.1"};
        Path config = MemberResults.writeGroup(dir, "counter", hosts, ports);
        Files.writeString(config, Files.readString(config).replace("name: all", "name: counters"));
        try (ProcessCluster cluster = new ProcessCluster(dir)) {
            for (int i = 0; i < 3; i++) {
                cluster.start(i, CounterMemberMain.class.getName(), "256m", config.toString(), String.valueOf(i),
                        dir.toString(), "m" + i, "3");
            }
            await().atMost(90, TimeUnit.SECONDS).until(() -> MemberResults.allAlive(cluster, List.of(0, 1, 2))
                    && Files.exists(dir.resolve("ready-m0")) && Files.exists(dir.resolve("ready-m1"))
                    && Files.exists(dir.resolve("ready-m2")));
            cluster.start(9, CounterClientMain.class.getName(), "256m", "counter", dir.toString(), "x", "3",
                    "127.0.0.1:" + ports[2], "127.0.0.1:" + ports[0]);
            await().atMost(60, TimeUnit.SECONDS).until(() -> Files.exists(dir.resolve("ready-x")) && lines(dir, "journal-x") > 100);
            cluster.kill(2);
            cluster.start(12, CounterMemberMain.class.getName(), "256m", config.toString(), "2", dir.toString(), "m2b", "2",
                    "join");
            await().atMost(90, TimeUnit.SECONDS).until(() -> MemberResults.allAlive(cluster, List.of(0, 1, 9, 12))
                    && Files.exists(dir.resolve("ready-m2b")) && lines(dir, "journal-m2b") > 200);
            Files.writeString(dir.resolve("stop"), "stop\n");
            await().atMost(90, TimeUnit.SECONDS).until(() -> MemberResults.allAlive(cluster, List.of(0, 1, 12))
                    && Files.exists(dir.resolve("result-m0")) && Files.exists(dir.resolve("result-m1"))
                    && Files.exists(dir.resolve("result-m2b")) && Files.exists(dir.resolve("result-x")));

            List<Operation> ops = new ArrayList<>();
            for (String tag : List.of("m0", "m1", "m2", "m2b", "x")) {
                ops.addAll(OpJournal.read(dir.resolve("journal-" + tag)));
            }
            History history = History.of(ops);
            CheckResult result = LinearizabilityChecker.check(new CounterModel(), history);
            history.write(dir.resolve("merged.history"));
            assertThat(result.isLinearizable()).as("%s", result.explain()).isTrue();
            assertThat(ops.stream().filter(o -> o.client().startsWith("x/")).count()).as("client operations").isGreaterThan(100);
            long value = MemberResults.value(Files.readAllLines(dir.resolve("result-m0")), "value");
            for (String tag : List.of("m1", "m2b")) {
                assertThat(MemberResults.value(Files.readAllLines(dir.resolve("result-" + tag)), "local"))
                        .as("replica %s", tag).isGreaterThanOrEqualTo(value);
            }
            assertThat(Files.readString(dir.resolve("result-x"))).as("the client is connected at the end")
                    .contains("member 127.0.0.1:");
            System.out.printf("counter: %d operations, %d by the external client, final value %d%n", ops.size(),
                    ops.stream().filter(o -> o.client().startsWith("x/")).count(), value);
        }
    }

    private static long lines(Path dir, String file) throws java.io.IOException {
        Path p = dir.resolve(file);
        return Files.exists(p) ? Files.readAllLines(p).size() : 0;
    }
}
