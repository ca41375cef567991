/**
 * The shared state table (SST): one row per view member, split into sections (a shard's counters,
 * a sender's slot ring). A node writes only its own row and pushes changed ranges to the section's
 * subscribers; predicates over the local copies are evaluated on the protocol loop after each
 * batch of input.
 *
 * <p>Invariants: a node never writes another node's row; pushes of one writer are applied in the
 * order they were made, so monotone counters stay monotone at every reader; an inbound write that
 * does not fit the layout is refused as a {@link io.derecho.sst.MalformedFrameException} before
 * any byte is copied.
 */
package io.derecho.sst;
