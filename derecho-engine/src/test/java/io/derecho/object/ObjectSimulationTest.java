package io.derecho.object;

import static org.assertj.core.api.Assertions.assertThat;

import io.derecho.config.GroupConfig;
import io.derecho.config.ShardSpec;
import io.derecho.membership.MembershipSettings;
import io.derecho.sim.Simulation;
import io.derecho.testing.Seeds;
import io.derecho.testing.lin.CheckResult;
import io.derecho.testing.lin.CounterModel;
import io.derecho.testing.lin.LinearizabilityChecker;
import io.derecho.testing.lin.Outcome;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A replicated counter in the deterministic simulator: 3-5 members, clients on every member
 * issuing ordered adds and reads, a member crashing at a random time and (often) coming back as a
 * joiner that receives the state. Each run's history must be linearizable and the live replicas must
 * end with the same value.
 *
 * <p>Replay one seed: {@code ./mvnw -pl derecho-engine test -Dtest=ObjectSimulationTest -Dderecho.sim.seed=N}.
 */
class ObjectSimulationTest {
    static final int DEFAULT_SEEDS = 300;

    @Test
    @Timeout(600)
    void replicatedCounterHistoriesAreLinearizableThroughCrashesAndRejoins() {
        List<String> failures = Seeds.run("derecho.sim.objectSeeds", DEFAULT_SEEDS, seed -> runSeed(seed, Seeds.replaying()));
        assertThat(failures).as("failing seeds").isEmpty();
    }

    static String runSeed(long seed, boolean verbose) {
        Random r = new Random(seed * 65537);
        int n = 3 + r.nextInt(3);
        GroupConfig.Builder b = GroupConfig.builder("objects-sim");
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            b.member(i, "127.0.0.1", 40000 + i);
            all.add(i);
        }
        GroupConfig config = b.subgroup("counters", new ShardSpec(all, null, null, null)).build();
        Simulation sim = new Simulation(seed);
        SimObjectCluster cluster = new SimObjectCluster(sim, config, new MembershipSettings(100, 2000, true));
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 2; c++) {
                cluster.clientAt(r.nextLong(50_000_000L), i, "n" + i + "c" + c, 20 + r.nextInt(30), new Random(r.nextLong()));
            }
        }
        StringBuilder plan = new StringBuilder();
        int victim = r.nextInt(n);
        if (r.nextInt(4) > 0) {
            long at = r.nextLong(200_000_000L);
            cluster.crashAt(at, victim);
            plan.append(" crash ").append(victim).append(" at ").append(at / 1_000_000).append("ms");
            if (r.nextBoolean()) {
                long back = at + 50_000_000L + r.nextLong(3_000_000_000L);
                cluster.restartAt(back, victim);
                cluster.clientAt(back + 4_000_000_000L, victim, "n" + victim + "again", 20, new Random(r.nextLong()));
                plan.append(", restart at ").append(back / 1_000_000).append("ms");
            }
        }
        List<String> errors = new ArrayList<>();
        try {
            sim.runUntil(() -> false, 20_000_000_000L, 30_000_000);
            var history = cluster.history().history();
            CheckResult result = LinearizabilityChecker.check(new CounterModel(), history);
            if (!result.isLinearizable()) {
                errors.add("not linearizable: " + result.explain());
            }
            long ok = history.operations().stream().filter(o -> o.outcome() == Outcome.OK).count();
            if (ok < 2L * n * 20 / 2) {
                errors.add("only " + ok + " operations completed");
            }
            var values = cluster.values();
            if (new HashSet<>(values.values()).size() != 1 || values.containsValue(null)) {
                errors.add("live replicas end with different values: " + values);
            }
            if (!cluster.stops().isEmpty() && cluster.stops().keySet().stream().anyMatch(id -> !cluster.crashed(id)
                    && values.containsKey(id))) {
                errors.add("a live member stopped: " + cluster.stops());
            }
        } catch (RuntimeException e) {
            errors.add("exception: " + e);
            if (verbose) {
                e.printStackTrace();
            }
        }
        if (errors.isEmpty()) {
            return null;
        }
        String msg = "seed " + seed + " (" + n + " members" + plan + "): " + errors
                + "\n  replay: ./mvnw -pl derecho-engine test -Dtest=ObjectSimulationTest -Dderecho.sim.seed=" + seed;
        System.err.println("FAILED " + msg);
        if (verbose) {
            cluster.describe().forEach(System.err::println);
        }
        return msg;
    }
}
