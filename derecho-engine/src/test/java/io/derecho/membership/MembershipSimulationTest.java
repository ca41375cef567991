package io.derecho.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.derecho.config.GroupConfig;
import io.derecho.sim.Simulation;
import io.derecho.testing.SimMembershipCluster;
import io.derecho.testing.Seeds;
import io.derecho.testing.SimMulticastCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Failures during continuous multicast, in the deterministic simulator: 3-7 members, random
 * layouts, a minority of the members crashing at random times (peers sometimes told by a broken
 * link, sometimes left to notice the silence) and most of them restarting as joiners with the same
 * id, members cut off by a symmetric or asymmetric partition, clean leaves, pauses and slow links.
 * Each run is checked for view agreement (members and layout), virtual synchrony, total order and
 * FIFO within each view, integrity, state transfer (a joiner continues exactly where the state it
 * received ends, and replicas end with equal states), and liveness: the live members end in one
 * view without the gone ones, with everything live senders sent.
 *
 * <p>Replay one seed: {@code ./mvnw -pl derecho-engine test -Dtest=MembershipSimulationTest -Dderecho.sim.seed=N}.
 */
class MembershipSimulationTest {

    static final int DEFAULT_SEEDS = 2000;

    @Test
    @Timeout(900)
    void survivorsAgreeOnViewsAndDeliveriesWhenMembersCrashOrArePartitioned() {
        List<String> failures = Seeds.run("derecho.sim.membershipSeeds", DEFAULT_SEEDS,
                seed -> runSeed(seed, Seeds.replaying()));
        assertThat(failures).as("failing seeds").isEmpty();
    }

    @Test
    @Timeout(300)
    void checkersCatchARaggedTrimComputedAsMaxInsteadOfMin() {
        io.derecho.multicast.FaultInjection.raggedTrimAsMax = true;
        try {
            int failing = 0;
            for (long seed = 1; seed <= 400 && failing < 3; seed++) {
                if (runSeed(seed, false) != null) {
                    failing++;
                }
            }
            assertThat(failing).as("seeds (of the first 400) on which the broken protocol was caught").isEqualTo(3);
        } finally {
            io.derecho.multicast.FaultInjection.raggedTrimAsMax = false;
        }
    }

    /**
     * A whole group shutting down: every member leaves at about the same time, while traffic runs.
     * No member may install a view the others do not (each alone in its own "view N"); each stops,
     * having left cleanly, and everything sent is delivered everywhere.
     */
    @Test
    @Timeout(300)
    void everyMemberLeavingAtOnceEndsTheGroupWithoutSplitViews() {
        List<String> failures = new ArrayList<>();
        for (long seed = 1; seed <= 100; seed++) {
            Random r = new Random(seed * 7919);
            int nodes = 2 + r.nextInt(5);
            GroupConfig config = SimMulticastCluster.randomConfig(r, nodes);
            Simulation sim = new Simulation(seed);
            SimMembershipCluster cluster = new SimMembershipCluster(sim, config, new MembershipSettings(100, 2000, true));
            int smc = config.profile("p").maxSmcPayload();
            cluster.startWorkload(20 + r.nextInt(40), i -> r.nextInt(smc + 1));
            for (int i = 0; i < nodes; i++) {
                cluster.leaveAt(20_000_000L + r.nextLong(30_000_000L), i);
            }
            List<String> errors = new ArrayList<>(cluster.runAndCheck(8_000_000_000L, 10_000_000, false));
            java.util.Map<Integer, java.util.Set<String>> byId = new java.util.TreeMap<>();
            cluster.views().forEach((node, views) -> views.forEach(v ->
                    byId.computeIfAbsent(v.id(), k -> new java.util.TreeSet<>()).add(java.util.Arrays.toString(v.members()))));
            byId.forEach((id, memberSets) -> {
                if (memberSets.size() > 1) {
                    errors.add("view " + id + " installed with different members: " + memberSets);
                }
            });
            for (int i = 0; i < nodes; i++) {
                String stopped = cluster.manager(i).stoppedReason();
                if (stopped == null || !stopped.contains("left the group cleanly")) {
                    errors.add("node " + i + " did not end with a clean leave: " + stopped);
                }
            }
            if (!errors.isEmpty()) {
                failures.add("seed " + seed + " (" + nodes + " nodes): " + errors.subList(0, Math.min(3, errors.size())));
            }
        }
        assertThat(failures).as("failing seeds").isEmpty();
    }

    static String runSeed(long seed, boolean verbose) {
        Random r = new Random(seed * 104729);
        int nodes = 3 + r.nextInt(5);
        GroupConfig config = SimMulticastCluster.randomConfig(r, nodes);
        Simulation sim = new Simulation(seed);
        SimMembershipCluster cluster = new SimMembershipCluster(sim, config, new MembershipSettings(100, 2000, true));
        int smc = config.profile("p").maxSmcPayload();
        int max = config.profile("p").maxPayload();
        cluster.startWorkload(30 + r.nextInt(60), i -> r.nextInt(6) == 0 ? smc + 1 + r.nextInt(max - smc) : r.nextInt(smc + 1));
        // A minority of the members fails: some crash, and (in about half the runs) some others are cut off by a
        // partition, symmetric or asymmetric.
        int faulty = r.nextInt((nodes - 1) / 2 + 1);
        int cut = faulty > 0 && r.nextBoolean() ? 1 + r.nextInt(faulty) : 0;
        int crashes = faulty - cut;
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            ids.add(i);
        }
        java.util.Collections.shuffle(ids, r);
        StringBuilder plan = new StringBuilder();
        for (int c = 0; c < crashes; c++) {
            long at = r.nextInt(4) == 0 ? r.nextLong(5_000_000_000L) : r.nextLong(40_000_000L);
            boolean tell = r.nextBoolean();
            cluster.crashAt(at, ids.get(c), tell);
            plan.append(" crash ").append(ids.get(c)).append(" at ").append(at / 1_000_000).append("ms")
                    .append(tell ? " (reset)" : " (silent)");
            if (r.nextInt(3) > 0) {
                // The process comes back and joins again with the same id (before or after its removal).
                long back = at + 50_000_000L + r.nextLong(6_000_000_000L);
                cluster.restartAt(back, ids.get(c));
                plan.append(" restart ").append(ids.get(c)).append(" at ").append(back / 1_000_000).append("ms");
            }
        }
        // Some of the others leave cleanly (never so many that the faulty ones become a majority of those staying).
        int leaves = r.nextInt(Math.max(1, nodes - 2 * faulty - 1));
        for (int l = 0; l < leaves; l++) {
            int who = ids.get(faulty + l);
            long at = r.nextLong(80_000_000L);
            cluster.leaveAt(at, who);
            plan.append(" leave ").append(who).append(" at ").append(at / 1_000_000).append("ms");
        }
        if (cut > 0) {
            java.util.Set<Integer> minority = new java.util.HashSet<>(ids.subList(crashes, crashes + cut));
            long at = r.nextLong(60_000_000L);
            boolean symmetric = r.nextBoolean();
            cluster.partitionAt(at, minority, symmetric);
            plan.append(" cut off ").append(minority).append(" at ").append(at / 1_000_000).append("ms")
                    .append(symmetric ? " (both ways)" : " (their sends lost)");
        }
        // Pauses (a stopped process, a long GC) of a faulty-free member, some longer than the suspicion timeout,
        // and slow links; only among members not already chosen to fail, and keeping a majority.
        if (r.nextInt(3) == 0 && faulty + leaves + 1 < (nodes + 1) / 2) {
            int who = ids.get(nodes - 1);
            long at = r.nextLong(60_000_000L);
            long pause = 500_000_000L + r.nextLong(3_500_000_000L);
            cluster.pauseAt(at, who, pause);
            plan.append(" pause ").append(who).append(" at ").append(at / 1_000_000).append("ms for ").append(pause / 1_000_000).append("ms");
        }
        for (int l = r.nextInt(3); l > 0; l--) {
            int a = r.nextInt(nodes);
            int b = (a + 1 + r.nextInt(nodes - 1)) % nodes;
            cluster.slowLinkAt(r.nextLong(60_000_000L), a, b, 1_000_000L + r.nextLong(50_000_000L), r.nextLong(500_000_000L));
        }
        List<String> errors = cluster.runAndCheck(16_000_000_000L, 30_000_000, verbose);
        if (errors.isEmpty()) {
            return null;
        }
        String msg = "seed " + seed + " (" + nodes + " nodes," + plan + "): " + errors.subList(0, Math.min(5, errors.size()))
                + "\n  replay: ./mvnw -pl derecho-engine test -Dtest=MembershipSimulationTest -Dderecho.sim.seed=" + seed;
        System.err.println("FAILED " + msg);
        if (verbose) {
            for (int i = 0; i < nodes; i++) {
                System.err.println(cluster.manager(i).describe());
            }
            cluster.views().forEach((node, views) -> System.err.println("  views of " + node + ": " + views));
        }
        return msg;
    }
}
