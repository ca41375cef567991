package io.derecho.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.derecho.testing.ProcessCluster;
import io.derecho.testing.ViewChangeMemberMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/**
 * Real processes over TCP: {@code kill -9} of a member during traffic gives every survivor the same
 * new view, the same deliveries in the old view (virtual synchrony), and all the messages the
 * survivors send. Logs stay under {@code target/cluster-tests/}.
 */
class ViewChangeProcessTest {

    @ParameterizedTest(name = "{0} members")
    @ValueSource(ints = {3, 5})
    @Timeout(240)
    void killedMemberIsRemovedAndSurvivorsAgree(int n) throws Exception {
        Path dir = Path.of("target", "cluster-tests", "kill-" + n + "-" + System.currentTimeMillis());
        int[] ports = ProcessCluster.freePorts(n);
        StringBuilder yaml = new StringBuilder("group: kill-" + n + "\nmembers:\n");
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < n; i++) {
            yaml.append("  - {id: ").append(i).append(", host: 127.0.0.1, port: ").append(ports[i]).append("}\n");
            ids.append(i == 0 ? "" : ", ").append(i);
        }
        yaml.append("subgroups:\n  - name: all\n    shards:\n      - members: [").append(ids).append("]\n");
        int victim = n - 1;
        int messages = 60_000;
        try (ProcessCluster cluster = new ProcessCluster(dir)) {
            Path config = Files.writeString(dir.resolve("group.yaml"), yaml);
            for (int i = 0; i < n; i++) {
                cluster.start(i, ViewChangeMemberMain.class.getName(), "512m", config.toString(), String.valueOf(i),
                        String.valueOf(messages), dir.resolve("result-" + i).toString());
            }
            await().atMost(120, TimeUnit.SECONDS).pollInterval(50, TimeUnit.MILLISECONDS)
                    .until(() -> Files.exists(dir.resolve("result-" + victim + ".started")));
            long killedAt = System.nanoTime();
            cluster.kill(victim);
            await().atMost(180, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).until(() -> {
                for (int i = 0; i < n; i++) {
                    if (i != victim && !Files.exists(dir.resolve("result-" + i))) {
                        assertThat(cluster.process(i).isAlive()).as("member %d exited; log:%n%s", i, cluster.log(i)).isTrue();
                        return false;
                    }
                }
                return true;
            });
            List<List<String>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (i == victim) {
                    continue;
                }
                List<String> lines = Files.readAllLines(dir.resolve("result-" + i));
                assertThat(lines).as("member %d: %s", i, lines).contains("stopped=null", "errors 0");
                assertThat(lines).as("member %d removed the victim", i)
                        .anyMatch(l -> l.startsWith("view 1 ") && !l.contains(String.valueOf(victim) + "]"));
                for (int s = 0; s < n; s++) {
                    if (s != victim) {
                        assertThat(lines).as("member %d got everything survivor %d sent", i, s)
                                .contains("sender " + s + " count " + messages);
                    }
                }
                results.add(lines.stream().filter(l -> l.startsWith("digest") || l.startsWith("sender")).toList());
                long installedAt = lines.stream().filter(l -> l.startsWith("view 1 ")).mapToLong(
                        l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElseThrow();
                System.out.printf("member %d installed view 1 %.1f ms after the kill%n", i, (installedAt - killedAt) / 1e6);
            }
            for (List<String> r : results) {
                assertThat(r).as("survivors' per-view digests and counts").isEqualTo(results.get(0));
            }
        }
    }
}
