package io.derecho.fabric.tcp;

import io.netty.channel.Channel;

/**
 * One join request in flight, made by {@link TcpFabric#join}: the connection to the contacted
 * member, open until that member closes it, the connect fails, or {@link #cancel()}.
 */
public final class JoinAttempt {

    private final Channel channel;
    private final JoinClientHandler handler;

    JoinAttempt(Channel channel, JoinClientHandler handler) {
        this.channel = channel;
        this.handler = handler;
    }

    /**
     * Closes the connection (the member sees the joiner go away); {@code onClosed} then reports
     * "cancelled" unless it already ran. Callable from any thread; idempotent.
     */
    public void cancel() {
        handler.cancel();
        channel.close();
    }

    /**
     * Sends one more message to the member (a session: the member must have called
     * {@link JoinChannel#onMessage}); dropped if the connection is closed. Callable from any thread.
     *
     * @throws IllegalArgumentException if {@code payload} is longer than {@link TcpFabric#MAX_JOIN_BYTES}
     */
    public void send(byte[] payload) {
        if (payload.length > TcpFabric.MAX_JOIN_BYTES) {
            throw new IllegalArgumentException("session message of " + payload.length + " bytes exceeds the limit of "
                    + TcpFabric.MAX_JOIN_BYTES + " bytes");
        }
        io.netty.buffer.ByteBuf buf = channel.alloc().buffer(HandshakeCodec.PREFIX_BYTES + 4 + payload.length);
        HandshakeCodec.writeJoinReply(buf, payload);
        channel.writeAndFlush(buf, channel.voidPromise());
    }

    /** Whether the connection is still open or being opened. */
    public boolean isOpen() {
        return channel.isOpen();
    }
}
