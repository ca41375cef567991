package io.derecho.fabric.tcp;

import io.netty.channel.Channel;

/**
 * One established (handshaken) link to a peer. Touched only on the fabric's event loop, except
 * the immutable fields.
 */
final class Link {

    final int peerId;
    final Channel channel;
    /** The peer's address as seen on this connection, for messages. */
    final String remote;

    /** Written since the last {@link TcpFabric#flush()}. */
    boolean dirty;
    /** Closed and reported; nothing more is delivered or sent on it. */
    boolean down;
    /** The first error that broke the link, or null if it was simply closed. */
    String error;

    Link(int peerId, Channel channel) {
        this.peerId = peerId;
        this.channel = channel;
        this.remote = TcpFabric.describe(channel.remoteAddress());
    }
}
