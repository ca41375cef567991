package io.derecho.multicast;

import java.nio.ByteBuffer;

/**
 * Receives delivered messages. Called on the node's delivery thread, never on the protocol loop,
 * one message at a time, in delivery order per shard.
 */
@FunctionalInterface
public interface DeliveryListener {
    /**
     * @param subgroup subgroup index
     * @param shard    shard number within the subgroup
     * @param sender   node id of the sender
     * @param index    the sender's message number (0, 1, 2, ... per sender and view; null messages take none)
     * @param payload  the message bytes, read-only, valid only during the call (zero copy)
     * @param version  {@code viewId << 32 | seq} in ORDERED shards (strictly increasing), -1 in UNORDERED ones
     */
    void onDelivery(int subgroup, int shard, int sender, long index, ByteBuffer payload, long version);
}
