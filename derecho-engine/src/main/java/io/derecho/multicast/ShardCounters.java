package io.derecho.multicast;

/**
 * Byte offsets of a shard's counter section (all longs). Every column reads 0 for "nothing yet",
 * which is what a reader's copy of a row holds before the row's first push arrives. With k senders:
 * {@code seqNum} (how many round-robin sequence numbers were received contiguously: the highest
 * such sequence plus one), {@code deliveredSeq} (the highest sequence delivered, plus one), {@code numReceived[k]} and
 * {@code numDelivered[k]} (message counts per sender), then for the view change {@code trimReady}
 * and {@code trim[k]}.
 */
final class ShardCounters {
    static final int SEQ_NUM = 0;
    static final int DELIVERED_SEQ = 8;

    private ShardCounters() {
    }

    static int size(int senders) {
        return 3 + 3 * senders;
    }

    /** 1 once this member holds the ragged trim of the ending view (published by the shard leader, echoed by the rest). */
    static int trimReady(int senders) {
        return 16 + 16 * senders;
    }

    /** The ragged trim: how many messages of each sender every survivor delivers in the ending view. */
    static int trim(int senders, int sender) {
        return 24 + 16 * senders + 8 * sender;
    }

    static int numReceived(int sender) {
        return 16 + 8 * sender;
    }

    static int numDelivered(int senders, int sender) {
        return 16 + 8 * (senders + sender);
    }
}
