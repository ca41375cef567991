package io.derecho.multicast;

import static org.assertj.core.api.Assertions.assertThat;

import io.derecho.config.GroupConfig;
import io.derecho.sim.Simulation;
import io.derecho.testing.SimMulticastCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the real multicast core in the deterministic simulator over many seeds: 3-7 members,
 * random latencies and batching, all/half/one senders, ORDERED and UNORDERED shards, several
 * subgroups and shards, payloads on the slot path and the block path. Every run is checked for
 * total order, FIFO, no loss, no duplicates and intact contents.
 *
 * <p>Replay one seed: {@code ./mvnw -pl derecho-engine test -Dtest=MulticastSimulationTest -Dderecho.sim.seed=N}.
 */
class MulticastSimulationTest {

    static final int DEFAULT_SEEDS = 1000;

    @Test
    @Timeout(600)
    void deliversSameOrderFifoNoLossOnEverySeed() {
        String one = System.getProperty("derecho.sim.seed");
        long first = one != null ? Long.parseLong(one) : 1;
        int seeds = one != null ? 1 : Integer.getInteger("derecho.sim.seeds", DEFAULT_SEEDS);
        List<String> failures = new ArrayList<>();
        long totalDeliveries = 0;
        for (long seed = first; seed < first + seeds; seed++) {
            String failure = runSeed(seed);
            if (failure != null) {
                failures.add(failure);
                if (failures.size() >= 5) {
                    break;
                }
            }
        }
        assertThat(failures).as("failing seeds").isEmpty();
    }

    /** One seeded run; returns a description with the replay command if it fails, null if it passes. */
    static String runSeed(long seed) {
        String one = System.getProperty("derecho.sim.seed");
        Random r = new Random(seed * 7919);
        int nodes = 3 + r.nextInt(5);
        GroupConfig config = SimMulticastCluster.randomConfig(r, nodes);
        GroupLayout layout = GroupLayout.fromConfig(config);
        Simulation sim = new Simulation(seed);
        SimMulticastCluster cluster = new SimMulticastCluster(sim, layout);
        int messages = 20 + r.nextInt(60);
        int smc = config.profile("p").maxSmcPayload();
        int max = config.profile("p").maxPayload();
        int largeOneIn = 1 + r.nextInt(6);
        cluster.startWorkload(messages, i -> r.nextInt(largeOneIn) == 0 ? smc + 1 + r.nextInt(max - smc) : r.nextInt(smc + 1));
        boolean done;
        List<String> errors;
        try {
            done = cluster.runToCompletion(60_000_000_000L, 20_000_000);
            errors = cluster.check();
        } catch (RuntimeException e) {
            done = false;
            errors = List.of("exception: " + e);
        }
        if (done && errors.isEmpty()) {
            return null;
        }
        String replay = "./mvnw -pl derecho-engine test -Dtest=MulticastSimulationTest -Dderecho.sim.seed=" + seed;
        String msg = "seed " + seed + " (" + nodes + " nodes, " + layout.shards() + "): delivered "
                + cluster.deliveries() + " of " + cluster.expectedDeliveries() + "; "
                + errors.subList(0, Math.min(5, errors.size())) + "\n  replay: " + replay;
        System.err.println("FAILED " + msg);
        if (one != null) {
            for (int id : layout.members()) {
                System.err.println(cluster.group(id).describe());
            }
        }
        return msg;
    }
}
