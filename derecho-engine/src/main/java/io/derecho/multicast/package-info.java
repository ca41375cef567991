/**
 * Multicast within shards: small messages through per-sender slot rings in the SST (SMC), large
 * ones cut into blocks and carried along a binomial-pipeline, chain or sequential schedule
 * (RDMC), round-robin total order across a shard's senders with automatic null messages, window
 * flow control and receiver-side batching.
 *
 * <p>Invariants (ORDERED shards): every member delivers the same messages in the same order;
 * messages of one sender are delivered in the order they were sent; a message is delivered only
 * after every member of the shard received it; no message is delivered twice; a slot is reused
 * only after every member delivered the message in it. UNORDERED shards keep FIFO per sender only.
 */
package io.derecho.multicast;
