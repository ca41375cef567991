package io.derecho.multicast;

/**
 * Byte offsets of a shard's counter section (all longs). With k senders:
 * {@code seqNum} (highest round-robin sequence received contiguously, -1 for none),
 * {@code deliveredSeq} (highest sequence delivered), {@code numReceived[k]} and
 * {@code numDelivered[k]} (message counts per sender).
 */
final class ShardCounters {
    static final int SEQ_NUM = 0;
    static final int DELIVERED_SEQ = 8;

    private ShardCounters() {
    }

    static int size(int senders) {
        return 2 + 2 * senders;
    }

    static int numReceived(int sender) {
        return 16 + 8 * sender;
    }

    static int numDelivered(int senders, int sender) {
        return 16 + 8 * (senders + sender);
    }
}
