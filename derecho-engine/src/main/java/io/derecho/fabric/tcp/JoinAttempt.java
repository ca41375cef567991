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

    /** Whether the connection is still open or being opened. */
    public boolean isOpen() {
        return channel.isOpen();
    }
}
