package io.derecho.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.derecho.testing.FaultMemberMain;
import io.derecho.testing.MemberResults;
import io.derecho.testing.NamespaceNetwork;
import io.derecho.testing.ProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real processes over TCP, each in its own Linux network namespace: five members, then an iptables
 * cut between {0, 1, 2} and {3, 4} during traffic. The majority removes the minority and goes on
 * delivering, in agreement; the minority sees no majority, stops with that reason and never
 * installs a view. Skipped where network namespaces cannot be made (not root, no iproute2 or
 * iptables, a sandbox that forbids them). Logs stay under {@code target/cluster-tests/}.
 */
class PartitionProcessTest {
    private static final int N = 5;
    private static final List<Integer> MAJORITY = List.of(0, 1, 2);
    private static final List<Integer> MINORITY = List.of(3, 4);
    private static final List<Integer> ALL = List.of(0, 1, 2, 3, 4);
    private static final int PORT = 7400;
    private static final int MESSAGES = 15_000;
    private static final int PER_SECOND = 3_000;
    /** Deliveries (about half a second of traffic) before the cut: heartbeats and messages are flowing. */
    private static final int STARTED_AFTER = 7_500;

    @BeforeEach
    void needsNetworkNamespaces() {
        String why = NamespaceNetwork.unavailableReason();
        Assumptions.assumeTrue(why == null,
                () -> "skipped: needs root and the ip/iptables commands (network namespaces): " + why);
    }

    @Test
    @Timeout(120)
    void minoritySideStopsWithClearErrorAndMajorityGoesOn() throws Exception {
        Path dir = Path.of("target", "cluster-tests", "partition-" + System.currentTimeMillis());
        // Closed in reverse order: the processes go before the namespaces they run in.
        try (NamespaceNetwork net = NamespaceNetwork.create(N); ProcessCluster cluster = new ProcessCluster(dir)) {
            String[] hosts = new String[N];
            int[] ports = new int[N];
            for (int i = 0; i < N; i++) {
                hosts[i] = net.address(i);
                ports[i] = PORT;
            }
            Path config = MemberResults.writeGroup(dir, "partition", hosts, ports);
            for (int i = 0; i < N; i++) {
                cluster.start(i, net.exec(i), FaultMemberMain.class.getName(), "384m", config.toString(), String.valueOf(i),
                        String.valueOf(MESSAGES), String.valueOf(PER_SECOND), "1", String.valueOf(STARTED_AFTER),
                        MemberResults.result(dir, i).toString());
            }
            await().atMost(60, TimeUnit.SECONDS).pollInterval(20, TimeUnit.MILLISECONDS)
                    .until(() -> MemberResults.goWhenReady(cluster, dir, ALL));
            await().atMost(30, TimeUnit.SECONDS).pollInterval(20, TimeUnit.MILLISECONDS)
                    .until(() -> MemberResults.allStarted(cluster, dir, ALL));
            long cutAt = System.nanoTime();
            net.partition(MAJORITY, MINORITY);
            long cutDone = System.nanoTime();
            // Read by the members only when they write their results, seconds later.
            for (int i : ALL) {
                Files.writeString(MemberResults.marker(dir, i, ".mark"), cutDone + "\n");
            }
            await().atMost(60, TimeUnit.SECONDS).pollInterval(100, TimeUnit.MILLISECONDS)
                    .until(() -> MemberResults.allResults(cluster, dir, ALL));

            List<List<String>> majority = new ArrayList<>();
            for (int i : MAJORITY) {
                List<String> lines = MemberResults.read(dir, i);
                majority.add(lines);
                assertThat(lines).as("member %d: %s", i, lines).contains("outcome done", "stopped=null", "errors 0");
                // Usually one view change removes both; two in a row (one member each) are as good.
                String last = MemberResults.lastView(lines);
                assertThat(last).as("member %d ends in a view without the minority: %s", i, lines).matches("view [12] \\[0, 1, 2\\] at .*");
                for (int s : MAJORITY) {
                    assertThat(lines).as("member %d got everything majority member %d sent", i, s)
                            .contains("sender " + s + " count " + MESSAGES);
                }
                System.out.printf("member %d installed %s %.1f ms after the cut%n", i, last.substring(0, last.indexOf(" at ")),
                        (Long.parseLong(last.substring(last.lastIndexOf(' ') + 1)) - cutAt) / 1e6);
            }
            for (List<String> lines : majority) {
                assertThat(MemberResults.agreement(lines)).as("majority's per-view digests and counts")
                        .isEqualTo(MemberResults.agreement(majority.get(0)));
            }
            for (int i : MINORITY) {
                List<String> lines = MemberResults.read(dir, i);
                assertThat(lines).as("member %d: %s", i, lines).contains("outcome stopped", "errors 0");
                assertThat(MemberResults.stoppedReason(lines)).as("why member %d stopped", i)
                        .contains("node " + i + " sees only 2 of the 5 members of view 0")
                        .contains("a minority must not install views or deliver");
                assertThat(lines).as("member %d installs no view after view 0: %s", i, lines)
                        .noneMatch(l -> l.startsWith("view ") && !l.startsWith("view 0 "));
                assertThat(MemberResults.marker(dir, i, ".view-1")).doesNotExist();
                // Whatever it delivered in view 0, the majority delivered there too.
                MemberResults.assertDeliveredNoMoreThan(lines, majority.get(0), 0, ALL);
                // Deliveries after the cut are possible, of what all members had received before it: in view 0, and
                // no more than the majority delivered there (checked above).
                System.out.printf("member %d stopped %.1f ms after the cut (%d deliveries after it, in view 0): %s%n", i,
                        (MemberResults.stoppedAt(lines) - cutAt) / 1e6, MemberResults.value(lines, "deliveredAfterMark"),
                        MemberResults.stoppedReason(lines));
            }
            System.out.printf("the iptables rules took %.1f ms to apply%n", (cutDone - cutAt) / 1e6);
        }
    }
}
