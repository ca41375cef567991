package io.derecho.testing.lin;

import java.time.Duration;
import java.util.Objects;

/**
 * How far the checker may search before answering {@link Verdict#UNKNOWN}: a limit on the configurations (set of
 * linearized operations, state) memoized for one partition, which bounds memory (about 100 to 150 bytes each) and
 * makes the verdict the same on every machine, and a wall-clock limit for the whole check, a backstop against a
 * check that would otherwise outlive its test.
 */
public record Budget(Duration timeout, long maxStatesPerPartition) {
    /**
     * 2 million states per partition (about 300 MB, 1 to 4 CPU seconds) and 2 minutes: enough for a few thousand
     * operations per key from 16 busy clients when the history is linearizable, see {@link CheckerBenchMain}.
     */
    public static final Budget DEFAULT = new Budget(Duration.ofMinutes(2), 2_000_000);

    public Budget {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (maxStatesPerPartition < 1) {
            throw new IllegalArgumentException("maxStatesPerPartition must be at least 1, got "
                    + maxStatesPerPartition);
        }
    }

    public Budget withTimeout(Duration newTimeout) {
        return new Budget(newTimeout, maxStatesPerPartition);
    }

    public Budget withMaxStatesPerPartition(long newMax) {
        return new Budget(timeout, newMax);
    }
}
