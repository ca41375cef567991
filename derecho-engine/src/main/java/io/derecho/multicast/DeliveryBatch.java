package io.derecho.multicast;

import java.nio.ByteBuffer;

/**
 * A batch of messages that became deliverable at once in one shard. Produced on the protocol loop,
 * consumed by the delivery thread, then handed back to the loop with {@link
 * MulticastGroup#delivered(DeliveryBatch)} so the shard's delivered counters advance (and the slots
 * the payloads point into can be reused by their senders).
 */
public final class DeliveryBatch {
    final ShardState shard;
    int count;
    int[] senders = new int[16];
    long[] indices = new long[16];
    long[] versions = new long[16];
    ByteBuffer[] payloads = new ByteBuffer[16];
    /** ORDERED: the highest sequence covered (nulls included). */
    long lastSeq = -1;
    /** UNORDERED: new delivered count per sender rank. */
    long[] deliveredCounts;

    DeliveryBatch(ShardState shard) {
        this.shard = shard;
    }

    void add(int sender, long index, ByteBuffer payload, long version) {
        if (count == senders.length) {
            int n = count * 2;
            senders = java.util.Arrays.copyOf(senders, n);
            indices = java.util.Arrays.copyOf(indices, n);
            versions = java.util.Arrays.copyOf(versions, n);
            payloads = java.util.Arrays.copyOf(payloads, n);
        }
        senders[count] = sender;
        indices[count] = index;
        versions[count] = version;
        payloads[count] = payload;
        count++;
    }

    /** The view's multicast this batch came from: hand the batch back to it with {@code delivered}. */
    public MulticastGroup group() {
        return shard.group();
    }

    public int size() {
        return count;
    }

    /** Calls the listener for each message, in order. */
    public void deliverTo(DeliveryListener listener) {
        ShardLayout l = shard.layout;
        for (int i = 0; i < count; i++) {
            listener.onDelivery(l.subgroup(), l.shard(), senders[i], indices[i], payloads[i], versions[i]);
        }
    }
}
