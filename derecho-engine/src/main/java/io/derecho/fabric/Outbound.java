package io.derecho.fabric;

import java.nio.ByteBuffer;

/**
 * Outbound side of a node's links, as the protocol core sees it. Called on the protocol loop only.
 *
 * <p>Frames are opaque to the fabric: the first byte is the core's frame type. A frame handed to
 * {@link #send} belongs to the fabric from then on; the caller must not touch it again. Frames to
 * one peer leave in the order they were sent (FIFO per link). Nothing is guaranteed to leave the
 * process before {@link #flush()}: the core sends a whole batch, then flushes once.
 */
public interface Outbound {

    /** Queues {@code frame} (position to limit) for {@code peerNodeId}. Dropped if the link is down. */
    void send(int peerNodeId, ByteBuffer frame);

    /**
     * Queues one frame made of {@code header} then {@code body}, so a caller can send a slice of a
     * larger buffer without first copying it into a frame of its own. Neither buffer is touched
     * after the call returns.
     */
    default void send(int peerNodeId, ByteBuffer header, ByteBuffer body) {
        ByteBuffer frame = ByteBuffer.allocate(header.remaining() + body.remaining());
        frame.put(header.duplicate()).put(body.duplicate()).flip();
        send(peerNodeId, frame);
    }

    /** Writes everything queued since the last flush. */
    void flush();
}
