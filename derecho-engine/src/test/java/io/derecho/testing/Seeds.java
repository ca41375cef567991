package io.derecho.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The seed loop of the simulation tests: every seed from 1 up to a count (a system property can
 * raise or lower it), or the one seed given with {@code -Dderecho.sim.seed=N} (then verbose), stopping
 * after 5 failures.
 */
public final class Seeds {
    private Seeds() {
    }

    /** Whether one seed was asked for on the command line (replay mode: print details). */
    public static boolean replaying() {
        return System.getProperty("derecho.sim.seed") != null;
    }

    /**
     * Runs {@code run} (seed to failure message, or null) over the seeds.
     *
     * @param countProperty the system property that sets how many seeds to run
     * @return the failure messages
     */
    public static List<String> run(String countProperty, int defaultCount, LongFunction<String> run) {
        String one = System.getProperty("derecho.sim.seed");
        long first = one != null ? Long.parseLong(one) : 1;
        int seeds = one != null ? 1 : Integer.getInteger(countProperty, defaultCount);
        List<String> failures = new ArrayList<>();
        for (long seed = first; seed < first + seeds && failures.size() < 5; seed++) {
            String f = run.apply(seed);
            if (f != null) {
                failures.add(f);
            }
        }
        return failures;
    }
}
