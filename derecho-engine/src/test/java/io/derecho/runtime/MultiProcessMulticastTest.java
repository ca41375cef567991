package io.derecho.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.derecho.testing.ClusterMemberMain;
import io.derecho.testing.ProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.awaitility.Awaitility.await;

/**
 * The multicast over real TCP between separate JVM processes on loopback: every member of an
 * ORDERED shard folds its delivery order into a digest, and the digests must be equal; each
 * member also checks FIFO per sender, contents and completeness itself. Logs stay under
 * {@code target/cluster-tests/}.
 */
class MultiProcessMulticastTest {

    @Test
    @Timeout(300)
    void threeProcessesDeliverSameOrderWithLargeMessagesUpTo10MiB() throws Exception {
        runCluster("three", 3, """
                  - name: data
                    shards:
                      - members: [0, 1, 2]
                        profile: big
                """, 60, 10 << 20);
    }

    @Test
    @Timeout(300)
    void fiveProcessesWithSeveralSubgroupsOrderedAndUnordered() throws Exception {
        runCluster("five", 5, """
                  - name: all
                    shards:
                      - members: [0, 1, 2, 3, 4]
                        profile: big
                  - name: sharded
                    shards:
                      - members: [0, 1, 2]
                        senders: [0, 2]
                      - members: [3, 4, 0]
                        senders: [4]
                        mode: unordered
                """, 40, 3 << 20);
    }

    private void runCluster(String name, int n, String subgroupsYaml, int messages, int maxSize) throws Exception {
        Path dir = Path.of("target", "cluster-tests", name + "-" + System.currentTimeMillis());
        int[] ports = ProcessCluster.freePorts(n);
        StringBuilder yaml = new StringBuilder("group: mp-" + name + "\nmembers:\n");
        for (int i = 0; i < n; i++) {
            yaml.append("  - {id: ").append(i).append(", host: 127.0.0.1, port: ").append(ports[i]).append("}\n");
        }
        yaml.append("profiles:\n  big: {window: 256, maxSmcPayload: 1024, maxPayload: 16777216, blockSize: 1048576}\n");
        yaml.append("subgroups:\n").append(subgroupsYaml);
        try (ProcessCluster cluster = new ProcessCluster(dir)) {
            Path config = Files.writeString(dir.resolve("group.yaml"), yaml);
            for (int i = 0; i < n; i++) {
                cluster.start(i, ClusterMemberMain.class.getName(), "768m", config.toString(), String.valueOf(i),
                        String.valueOf(messages), String.valueOf(maxSize), dir.resolve("result-" + i).toString());
            }
            await().atMost(240, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).until(() -> {
                for (int i = 0; i < n; i++) {
                    if (!Files.exists(dir.resolve("result-" + i))) {
                        Process p = cluster.process(i);
                        assertThat(p.isAlive()).as("member %d exited early; log:%n%s", i, cluster.log(i)).isTrue();
                        return false;
                    }
                }
                return true;
            });
            Map<String, List<String>> digestsByShard = new HashMap<>();
            for (int i = 0; i < n; i++) {
                List<String> lines = Files.readAllLines(dir.resolve("result-" + i));
                assertThat(lines.get(0)).as("member %d delivered everything; log:%n%s", i, cluster.log(i))
                        .isEqualTo("complete=true");
                for (String line : lines.subList(1, lines.size())) {
                    assertThat(line).as("member %d", i).contains("errors=0");
                    String shard = line.substring(0, line.indexOf(' '));
                    String digest = line.replaceAll(".*digest=(\\S+).*", "$1");
                    digestsByShard.computeIfAbsent(shard, k -> new ArrayList<>()).add(digest);
                }
            }
            for (Map.Entry<String, List<String>> e : digestsByShard.entrySet()) {
                assertThat(e.getValue()).as("order digests of %s", e.getKey()).hasSizeGreaterThan(1);
                assertThat(e.getValue().stream().distinct().count()).as("order digests of %s: %s", e.getKey(), e.getValue())
                        .isEqualTo(1);
            }
        }
    }
}
