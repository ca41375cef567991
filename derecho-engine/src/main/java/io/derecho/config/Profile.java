package io.derecho.config;

import static io.derecho.config.ConfigException.check;

/**
 * Settings of a shard's multicast, shared by every shard that names the profile.
 *
 * @param name          the profile's name
 * @param window        slots in each sender's ring: a sender may be at most this many messages
 *                      ahead of the slowest member's delivery
 * @param maxSmcPayload largest message sent through the SST slot ring; larger ones are cut into blocks
 * @param maxPayload    largest message accepted at all; a larger send is refused
 * @param blockSize     block size of the large-message path
 * @param largeWindow   large messages a sender may have in flight (not yet delivered everywhere)
 * @param schedule      block dissemination schedule of the large-message path
 */
public record Profile(String name, int window, int maxSmcPayload, int maxPayload, int blockSize,
                      int largeWindow, BlockScheduleKind schedule) {

    public static final String DEFAULT = "default";

    public Profile {
        String k = "profiles." + name + ".";
        check(name != null && !name.isBlank(), "profiles.<name>", name, "a profile needs a name");
        check(window >= 1 && window <= 1 << 16, k + "window", window, "must be between 1 and 65536");
        check(maxSmcPayload >= 0 && maxSmcPayload <= 1 << 20, k + "maxSmcPayload", maxSmcPayload,
                "must be between 0 and 1048576");
        check(maxPayload >= maxSmcPayload, k + "maxPayload", maxPayload,
                "must be at least maxSmcPayload (" + maxSmcPayload + ")");
        check(maxPayload <= 1 << 30, k + "maxPayload", maxPayload, "must be at most 1 GiB");
        check(blockSize >= 1024, k + "blockSize", blockSize, "must be at least 1024");
        check(largeWindow >= 1, k + "largeWindow", largeWindow, "must be at least 1");
        check(schedule != null, k + "schedule", schedule, "must be one of BINOMIAL_PIPELINE, CHAIN, SEQUENTIAL");
    }

    /** The defaults, chosen by measurement (see src-docs/benchmarks.md). */
    public static Profile defaults() {
        return new Profile(DEFAULT, 512, 1024, 16 << 20, 1 << 20, 8, BlockScheduleKind.BINOMIAL_PIPELINE);
    }

    public Profile withName(String newName) {
        return new Profile(newName, window, maxSmcPayload, maxPayload, blockSize, largeWindow, schedule);
    }
}
