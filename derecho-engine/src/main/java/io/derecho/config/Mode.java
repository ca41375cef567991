package io.derecho.config;

/** Delivery mode of a shard. */
public enum Mode {
    /** Total order across the shard's senders, delivery only once every member has received it. */
    ORDERED,
    /** Delivery on receipt, FIFO per sender only; no null messages, no versions. */
    UNORDERED
}
