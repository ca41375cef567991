package io.derecho.multicast;

/**
 * Deliberate protocol bugs for tests that show the checkers catch them. Never set outside tests.
 */
public final class FaultInjection {
    /** Compute the ragged trim as the maximum instead of the minimum of what the survivors received. */
    public static volatile boolean raggedTrimAsMax;

    private FaultInjection() {
    }
}
