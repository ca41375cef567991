package io.derecho.config;

/** How the blocks of a large message travel from the sender to the other members of a shard. */
public enum BlockScheduleKind {
    /** Hypercube binomial pipeline: the sender sends each block about once, receivers relay. */
    BINOMIAL_PIPELINE,
    /** Sender to member 1 to member 2 ...; every node forwards each block once. */
    CHAIN,
    /** The sender sends every block to every member itself. */
    SEQUENTIAL
}
