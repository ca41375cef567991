package io.derecho.multicast;

/**
 * How far the members of one shard got in the current view, as one member sees them through the
 * SST: per member (in rank order) the highest sequence number received contiguously and the
 * highest delivered (-1 for none yet). Everything up to the smallest {@code delivered} is stable.
 */
public record ShardFrontier(String subgroup, int shard, int[] members, long[] received, long[] delivered) {

    /** The highest sequence number every member delivered (-1 when none). */
    public long stable() {
        long min = Long.MAX_VALUE;
        for (long d : delivered) {
            min = Math.min(min, d);
        }
        return delivered.length == 0 ? -1 : min;
    }
}
