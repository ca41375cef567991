/**
 * The deterministic simulator: many nodes in one thread, a simulated clock and a seeded network
 * (random latency, FIFO per link, random batch boundaries). Protocol code runs unchanged against
 * {@link io.derecho.sim.SimNode}; a run is a pure function of its seed, so a failing seed replays
 * exactly.
 */
package io.derecho.sim;
