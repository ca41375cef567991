package io.derecho.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.derecho.testing.JoinMemberMain;
import io.derecho.testing.MemberResults;
import io.derecho.testing.ProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real processes over TCP: a member is killed with {@code kill -9} during traffic and started again
 * as a joiner with the same id; it receives the shard's state (a digest of everything delivered and
 * each sender's position) from a survivor, resumes sending where its delivered messages end, and
 * every member ends with the same digest of the same deliveries. Logs stay under
 * {@code target/cluster-tests/}.
 */
class JoinProcessTest {

    @Test
    @Timeout(240)
    void aKilledMemberRejoinsDuringTrafficReceivesTheStateAndTakesPart() throws Exception {
        int n = 3;
        Path dir = Path.of("target", "cluster-tests", "rejoin-" + System.currentTimeMillis());
        String[] hosts = {"127.0.0.1", "127.0.0.1", "127.0.0.1"};
        Path config = MemberResults.writeGroup(dir, "rejoin", hosts, ProcessCluster.freePorts(n));
        int victim = 2;
        int messages = 40_000;
        try (ProcessCluster cluster = new ProcessCluster(dir)) {
            for (int i = 0; i < n; i++) {
                cluster.start(i, JoinMemberMain.class.getName(), "256m", config.toString(), String.valueOf(i),
                        String.valueOf(messages), dir.resolve("result-" + i).toString());
            }
            await().atMost(120, TimeUnit.SECONDS).pollInterval(50, TimeUnit.MILLISECONDS)
                    .until(() -> MemberResults.allAlive(cluster, List.of(0, 1, 2))
                            && Files.exists(dir.resolve("result-" + victim + ".started")));
            cluster.kill(victim);
            // The same id comes back as a new process (logged as member 12) while the others keep sending.
            cluster.start(10 + victim, JoinMemberMain.class.getName(), "256m", config.toString(), String.valueOf(victim),
                    String.valueOf(messages), dir.resolve("result-rejoined").toString(), "join");
            await().atMost(180, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).until(() ->
                    MemberResults.allAlive(cluster, List.of(0, 1, 10 + victim))
                            && Files.exists(dir.resolve("result-0")) && Files.exists(dir.resolve("result-1"))
                            && Files.exists(dir.resolve("result-rejoined")));
            List<String> rejoined = Files.readAllLines(dir.resolve("result-rejoined"));
            assertThat(rejoined).as("the rejoined member: %s", rejoined).contains("stopped=null", "errors 0");
            long restored = Long.parseLong(rejoined.stream().filter(l -> l.startsWith("restored ")).findFirst()
                    .orElseThrow().substring(9));
            assertThat(restored).as("messages the rejoined member received with its state").isGreaterThan(0);
            assertThat(rejoined.stream().filter(l -> l.startsWith("view ")).findFirst().orElseThrow())
                    .as("its first view includes it").contains(String.valueOf(victim));
            String expected = null;
            for (String name : List.of("result-0", "result-1", "result-rejoined")) {
                List<String> lines = Files.readAllLines(dir.resolve(name));
                assertThat(lines).as("%s: %s", name, lines).contains("stopped=null", "errors 0");
                for (int s = 0; s < n; s++) {
                    assertThat(lines).as("%s got every message of sender %d", name, s).contains("sender " + s + " count " + messages);
                }
                String digest = lines.stream().filter(l -> l.startsWith("digest ")).findFirst().orElseThrow();
                if (expected == null) {
                    expected = digest;
                }
                assertThat(digest).as("%s: the same deliveries in the same order, the state included", name).isEqualTo(expected);
            }
            System.out.printf("rejoin: ready %s ms, first delivery %s ms after the join request, %d messages came with the state%n",
                    MemberResults.value(rejoined, "ready-ms"), MemberResults.value(rejoined, "first-delivery-ms"), restored);
        }
    }
}
