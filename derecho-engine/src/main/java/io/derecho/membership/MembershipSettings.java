package io.derecho.membership;

/**
 * Failure detection and partition settings.
 *
 * @param heartbeatMillis    how often a member bumps its heartbeat in the SST
 * @param suspectAfterMillis a member silent this long (no heartbeat change) is suspected
 * @param partitionSafety    a new view needs a majority of the previous one (on by default)
 */
public record MembershipSettings(long heartbeatMillis, long suspectAfterMillis, boolean partitionSafety) {
    public MembershipSettings {
        if (heartbeatMillis < 1) {
            throw new IllegalArgumentException("invalid membership.heartbeatMillis = " + heartbeatMillis + ": must be at least 1");
        }
        if (suspectAfterMillis < 2 * heartbeatMillis) {
            throw new IllegalArgumentException("invalid membership.suspectAfterMillis = " + suspectAfterMillis
                    + ": must be at least twice heartbeatMillis (" + heartbeatMillis + ")");
        }
    }

    /**
     * 100 ms heartbeats, suspicion after 2 s of silence: a JVM pause of a second on a loaded
     * 2-core machine does not remove a member, a killed one is usually gone sooner through its
     * broken TCP link.
     */
    public static MembershipSettings defaults() {
        return new MembershipSettings(100, 2000, true);
    }
}
