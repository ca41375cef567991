package io.derecho.fabric.tcp;

/**
 * The open connection of one join request, as seen by the {@link JoinService} on the member that
 * received it. Methods are meant for the fabric's event loop; called from another thread, they
 * hand the work to it.
 */
public interface JoinChannel {

    /**
     * Sends one reply (a JOIN_REPLY carrying {@code payload}); {@code last} closes the connection
     * once it is flushed. Replies arrive at the joiner in call order. Ignored once the channel is
     * closed or a last reply was sent.
     *
     * @throws IllegalArgumentException if {@code payload} is longer than
     *                                  {@link TcpFabric#MAX_JOIN_BYTES}
     */
    void reply(byte[] payload, boolean last);

    /** Whether replies can still be sent: the connection is open and no last reply was sent. */
    boolean isOpen();

    /**
     * Runs {@code task} on the event loop when the connection closes, for whatever reason (the
     * joiner gave up, the last reply was sent, the fabric closed); immediately if already closed.
     */
    void onClose(Runnable task);

    /**
     * Turns the connection into a two-way session: later messages from the other side (sent with
     * {@link JoinAttempt#send}) go to {@code listener}, on the event loop. Without it, anything the
     * other side sends after its JOIN closes the connection.
     */
    void onMessage(java.util.function.Consumer<byte[]> listener);

    /** The remote address, for logs. */
    String remote();
}
