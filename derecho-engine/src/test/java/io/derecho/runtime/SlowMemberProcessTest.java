package io.derecho.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.derecho.testing.FaultMemberMain;
import io.derecho.testing.MemberResults;
import io.derecho.testing.ProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real processes over TCP: a member frozen with SIGSTOP during traffic (its links stay up, only its
 * heartbeat stops) is suspected and removed by the others, who agree on everything; when it is
 * resumed with SIGCONT it must not deliver anything more in the view it was removed from, and it
 * stops with a clear reason. Logs stay under {@code target/cluster-tests/}.
 */
class SlowMemberProcessTest {
    private static final int N = 3;
    private static final int PAUSED = 2;
    private static final int MESSAGES = 20_000;
    private static final int PER_SECOND = 4_000;
    /** Deliveries (about half a second of traffic) before the pause: heartbeats and messages are flowing. */
    private static final int STARTED_AFTER = 6_000;
    private static final List<Integer> ALL = List.of(0, 1, 2);

    @Test
    @Timeout(120)
    void pausedMemberIsRemovedAndStopsWithoutDeliveringAfterResume() throws Exception {
        Path dir = Path.of("target", "cluster-tests", "slow-" + System.currentTimeMillis());
        int[] ports = ProcessCluster.freePorts(N);
        Path config = MemberResults.writeGroup(dir, "slow", new String[] {"127.0.0.1", "127.0.0.1", "127.0.0.1"}, ports);
        boolean paused = false;
        try (ProcessCluster cluster = new ProcessCluster(dir)) {
            for (int i = 0; i < N; i++) {
                cluster.start(i, FaultMemberMain.class.getName(), "512m", config.toString(), String.valueOf(i),
                        String.valueOf(MESSAGES), String.valueOf(PER_SECOND), "1", String.valueOf(STARTED_AFTER),
                        MemberResults.result(dir, i).toString());
            }
            try {
                await().atMost(60, TimeUnit.SECONDS).pollInterval(20, TimeUnit.MILLISECONDS)
                        .until(() -> MemberResults.goWhenReady(cluster, dir, ALL));
                await().atMost(30, TimeUnit.SECONDS).pollInterval(20, TimeUnit.MILLISECONDS)
                        .until(() -> MemberResults.allStarted(cluster, dir, ALL));
                long sigstopAt = System.nanoTime();
                paused = true;
                cluster.signal(PAUSED, "STOP");
                await().atMost(30, TimeUnit.SECONDS).pollInterval(50, TimeUnit.MILLISECONDS)
                        .until(() -> MemberResults.allAlive(cluster, List.of(0, 1))
                                && Files.exists(MemberResults.marker(dir, 0, ".view-1"))
                                && Files.exists(MemberResults.marker(dir, 1, ".view-1")));
                // Written while the member is still frozen, so it can read it as soon as it runs again.
                long sigcontAt = System.nanoTime();
                Files.writeString(MemberResults.marker(dir, PAUSED, ".mark"), sigcontAt + "\n");
                cluster.signal(PAUSED, "CONT");
                paused = false;
                await().atMost(60, TimeUnit.SECONDS).pollInterval(100, TimeUnit.MILLISECONDS)
                        .until(() -> MemberResults.allResults(cluster, dir, ALL));

                List<List<String>> survivors = List.of(MemberResults.read(dir, 0), MemberResults.read(dir, 1));
                for (int i = 0; i < 2; i++) {
                    List<String> lines = survivors.get(i);
                    assertThat(lines).as("member %d: %s", i, lines).contains("outcome done", "stopped=null", "errors 0");
                    assertThat(lines).as("member %d installed a view without the paused member: %s", i, lines)
                            .anyMatch(l -> l.startsWith("view 1 [0, 1] "));
                    for (int s = 0; s < 2; s++) {
                        assertThat(lines).as("member %d got everything survivor %d sent", i, s)
                                .contains("sender " + s + " count " + MESSAGES);
                    }
                    System.out.printf("member %d installed view 1 %.1f ms after the SIGSTOP%n", i,
                            (MemberResults.installTime(lines, 1) - sigstopAt) / 1e6);
                }
                assertThat(MemberResults.agreement(survivors.get(1))).as("survivors' per-view digests and counts")
                        .isEqualTo(MemberResults.agreement(survivors.get(0)));

                List<String> resumed = MemberResults.read(dir, PAUSED);
                assertThat(resumed).as("the resumed member: %s", resumed).contains("outcome stopped", "errors 0");
                assertThat(MemberResults.stoppedReason(resumed)).as("why the resumed member stopped")
                        .satisfiesAnyOf(r -> assertThat(r).contains("node 2 was removed from view 0"),
                                r -> assertThat(r).contains("node 2 sees only 1 of the 3 members"),
                                r -> assertThat(r).contains("node 2 was paused for"));
                assertThat(resumed).as("the resumed member installs no view after view 0: %s", resumed)
                        .noneMatch(l -> l.startsWith("view ") && !l.startsWith("view 0 "));
                System.out.printf("member %d: last delivery %.1f ms before the SIGSTOP, %d deliveries after the SIGCONT%n", PAUSED,
                        (sigstopAt - MemberResults.value(resumed, "lastDeliveryBeforeMark")) / 1e6,
                        MemberResults.value(resumed, "deliveredAfterMark"));
                // Safety first: what it delivered in view 0 is no more than the survivors delivered there.
                MemberResults.assertDeliveredNoMoreThan(resumed, survivors.get(0), 0, ALL);
                assertThat(MemberResults.value(resumed, "deliveredAfterMark"))
                        .as("deliveries the resumed member made in view 0 after SIGCONT, before it noticed it was out: %s", resumed)
                        .isZero();
                System.out.printf("member %d stopped %.1f ms after the SIGCONT: %s%n", PAUSED,
                        (MemberResults.stoppedAt(resumed) - sigcontAt) / 1e6, MemberResults.stoppedReason(resumed));
            } finally {
                if (paused) {
                    // A frozen process ignores SIGTERM until continued; let the cluster's close end it normally.
                    cluster.signal(PAUSED, "CONT");
                }
            }
        }
    }
}
