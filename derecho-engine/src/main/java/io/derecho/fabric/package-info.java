/**
 * Links between nodes. The protocol core talks to the fabric only through {@link
 * io.derecho.fabric.Environment}, {@link io.derecho.fabric.Outbound} and {@link
 * io.derecho.fabric.InboundHandler}; the Netty TCP implementation lives in {@code
 * io.derecho.fabric.tcp} and the simulated one in {@code io.derecho.sim}.
 *
 * <p>Invariants: every link is reliable, FIFO and exactly-once while it is up; a broken link is
 * reported once through {@link io.derecho.fabric.InboundHandler#onLinkDown}; a peer that fails the
 * connect handshake (wrong magic, protocol version, group name or unknown node id) is refused with
 * a clear error on both sides and never reaches the core.
 */
package io.derecho.fabric;
