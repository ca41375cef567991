package io.derecho.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.derecho.config.BlockScheduleKind;
import io.derecho.config.GroupConfig;
import io.derecho.config.Mode;
import io.derecho.config.Profile;
import io.derecho.layout.LayoutSpec;
import io.derecho.layout.SendersRule;
import io.derecho.sim.Simulation;
import io.derecho.testing.Seeds;
import io.derecho.testing.SimMembershipCluster;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Dynamic layouts in the simulator: shards placed for every view by a random {@link LayoutSpec}
 * (1-2 subgroups, 1-2 shards each, random minimum and maximum sizes, senders and modes), groups
 * that start inadequate and become adequate through joins, new nodes joining, members crashing and
 * coming back as joiners, during continuous multicast. Besides the checks of
 * {@link MembershipSimulationTest} (view agreement on members and layout, virtual synchrony, order,
 * integrity, liveness), the replicas of every shard must end with the same state, which moves to
 * joiners and to members the allocator moves between shards by state transfer.
 *
 * <p>Replay one seed: {@code ./mvnw -pl derecho-engine test -Dtest=DynamicLayoutSimulationTest -Dderecho.sim.seed=N}.
 */
class DynamicLayoutSimulationTest {

    static final int DEFAULT_SEEDS = 500;

    @Test
    @Timeout(600)
    void shardsFollowTheLayoutAcrossJoinsCrashesAndRestarts() {
        int[] runs = {0, 0};
        List<String> failures = Seeds.run("derecho.sim.layoutSeeds", DEFAULT_SEEDS, seed -> {
            Object r = runSeed(seed, Seeds.replaying());
            runs[0]++;
            runs[1] += Boolean.TRUE.equals(r) ? 1 : 0;
            return r instanceof String f ? f : null;
        });
        assertThat(failures).as("failing seeds").isEmpty();
        assertThat(runs[1]).as("runs that ended in an adequate view, with deliveries and joins").isGreaterThan(runs[0] / 2);
    }

    @Test
    @Timeout(300)
    void checkersCatchAStateTransferThatSendsNothing() {
        SimMembershipCluster.brokenStateTransfer = true;
        try {
            int failing = 0;
            for (long seed = 1; seed <= 200 && failing < 3; seed++) {
                if (runSeed(seed, false) instanceof String) {
                    failing++;
                }
            }
            assertThat(failing).as("seeds (of the first 200) on which the broken state transfer was caught").isEqualTo(3);
        } finally {
            SimMembershipCluster.brokenStateTransfer = false;
        }
    }

    /** The failure, or whether the run ended adequate. */
    static Object runSeed(long seed, boolean verbose) {
        Random r = new Random(seed * 7919);
        int initial = 1 + r.nextInt(5);
        GroupConfig.Builder b = GroupConfig.builder("layout-sim");
        for (int i = 0; i < initial; i++) {
            b.member(i, "127.0.0.1", 30000 + i);
        }
        GroupConfig config = b.build();
        int smc = 16 + r.nextInt(200);
        Profile p = new Profile("p", 2 + r.nextInt(16), smc, smc + 3000, 1024 + r.nextInt(1000), 1 + r.nextInt(2),
                BlockScheduleKind.values()[r.nextInt(3)]);
        LayoutSpec.Builder layout = LayoutSpec.builder().profile(p).disjoint(r.nextInt(3) == 0);
        int subgroups = 1 + r.nextInt(2);
        for (int g = 0; g < subgroups; g++) {
            int min = 1 + r.nextInt(2);
            int max = min + r.nextInt(3);
            int shards = 1 + r.nextInt(2);
            SendersRule senders = r.nextBoolean() ? SendersRule.all() : SendersRule.firstN(1 + r.nextInt(2));
            Mode mode = r.nextInt(4) == 0 ? Mode.UNORDERED : Mode.ORDERED;
            layout.subgroup("sg" + g, sg -> sg.shards(shards).members(min, max).senders(senders).mode(mode).profile("p"));
        }
        LayoutSpec spec = layout.build();
        Simulation sim = new Simulation(seed);
        SimMembershipCluster cluster = new SimMembershipCluster(sim, config, new MembershipSettings(100, 2000, true),
                LayoutPolicy.of(spec));
        cluster.startWorkload(20 + r.nextInt(40), i -> r.nextInt(5) == 0 ? smc + 1 + r.nextInt(3000) : r.nextInt(smc + 1));
        StringBuilder plan = new StringBuilder(" layout " + spec.subgroups());
        int joiners = 1 + r.nextInt(4);
        for (int j = 0; j < joiners; j++) {
            long at = r.nextLong(3_000_000_000L);
            cluster.joinAt(at, 10 + j);
            plan.append(" join ").append(10 + j).append(" at ").append(at / 1_000_000).append("ms");
        }
        // A crash of an initial member (never a majority of the view at the time: at most one), often followed by a restart.
        if (initial >= 3 && r.nextBoolean()) {
            int victim = r.nextInt(initial);
            long at = r.nextLong(4_000_000_000L);
            cluster.crashAt(at, victim, r.nextBoolean());
            plan.append(" crash ").append(victim).append(" at ").append(at / 1_000_000).append("ms");
            if (r.nextInt(3) > 0) {
                long back = at + 100_000_000L + r.nextLong(4_000_000_000L);
                cluster.restartAt(back, victim);
                plan.append(" restart at ").append(back / 1_000_000).append("ms");
            }
        }
        List<String> errors = cluster.runAndCheck(16_000_000_000L, 30_000_000, verbose);
        if (errors.isEmpty()) {
            boolean adequate = cluster.views().values().stream().filter(v -> !v.isEmpty()).anyMatch(v -> v.getLast().adequate());
            return adequate && cluster.deliveries() > 0 && cluster.joinsCompleted() > 0;
        }
        String msg = "seed " + seed + " (" + initial + " initial members," + plan + "): "
                + errors.subList(0, Math.min(5, errors.size()))
                + "\n  replay: ./mvnw -pl derecho-engine test -Dtest=DynamicLayoutSimulationTest -Dderecho.sim.seed=" + seed;
        System.err.println("FAILED " + msg);
        if (verbose) {
            cluster.views().forEach((node, views) -> System.err.println("  views of " + node + ": " + views));
        }
        return msg;
    }
}
