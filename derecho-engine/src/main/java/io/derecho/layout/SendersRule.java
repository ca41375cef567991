package io.derecho.layout;

import java.util.List;

/**
 * Which members of a shard may send. Applied to the shard's members in shard rank order, so the
 * senders are always listed in shard rank order too.
 *
 * <p>In a layout file: {@code senders: all} (the default), {@code senders: {first: 2}} or
 * {@code senders: [1, 4]}.
 */
public sealed interface SendersRule {

    /** Every member sends. */
    static SendersRule all() {
        return All.INSTANCE;
    }

    /** The first {@code n} members in shard rank order send (all of them when the shard is smaller). */
    static SendersRule firstN(int n) {
        return new FirstN(n);
    }

    /**
     * Exactly these nodes send, while they are members of the shard. If none of them is, the shard
     * has no sender: it still receives state and serves reads, but nothing new can be sent to it.
     */
    static SendersRule nodes(Integer... nodeIds) {
        return new Explicit(List.of(nodeIds));
    }

    /** The senders among {@code members} (shard rank order), in shard rank order. */
    int[] select(int[] members);

    /** Every member sends. */
    enum All implements SendersRule {
        INSTANCE;

        @Override
        public int[] select(int[] members) {
            return members.clone();
        }

        @Override
        public String toString() {
            return "all";
        }
    }

    /** The first {@code n} members send. Validated (n at least 1) by the subgroup that uses it. */
    record FirstN(int n) implements SendersRule {
        @Override
        public int[] select(int[] members) {
            return java.util.Arrays.copyOf(members, Math.min(Math.max(n, 0), members.length));
        }

        @Override
        public String toString() {
            return "{first: " + n + "}";
        }
    }

    /** The listed nodes send while they are members. Validated by the subgroup that uses it. */
    record Explicit(List<Integer> nodeIds) implements SendersRule {
        public Explicit {
            nodeIds = List.copyOf(nodeIds);
        }

        @Override
        public int[] select(int[] members) {
            return java.util.Arrays.stream(members).filter(nodeIds::contains).toArray();
        }

        @Override
        public String toString() {
            return nodeIds.toString();
        }
    }
}
