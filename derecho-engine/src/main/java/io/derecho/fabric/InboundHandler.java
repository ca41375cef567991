package io.derecho.fabric;

import java.nio.ByteBuffer;

/**
 * Inbound side of a node's links: what the fabric calls on the protocol loop.
 *
 * <p>The fabric calls {@link #onFrame} for each frame of a read batch and then {@link #onBatchEnd()}
 * once, so the core can evaluate its predicates and push its row once per batch instead of once
 * per frame.
 */
public interface InboundHandler {

    /** One frame from {@code fromNodeId}; {@code frame} is valid only during the call. */
    void onFrame(int fromNodeId, ByteBuffer frame);

    /**
     * One frame that arrived in several pieces (consecutive, in order), valid only during the
     * call. The fabric uses this instead of gathering a large frame into one buffer first; a
     * handler that does not care gets the pieces joined.
     */
    default void onFrame(int fromNodeId, ByteBuffer[] pieces) {
        if (pieces.length == 1) {
            onFrame(fromNodeId, pieces[0]);
            return;
        }
        int size = 0;
        for (ByteBuffer p : pieces) {
            size += p.remaining();
        }
        ByteBuffer joined = ByteBuffer.allocate(size);
        for (ByteBuffer p : pieces) {
            joined.put(p.duplicate());
        }
        onFrame(fromNodeId, joined.flip());
    }

    /** The end of a batch of frames (from one or several links). */
    void onBatchEnd();

    /** The link to {@code nodeId} broke or was refused; {@code reason} is meant for people. */
    void onLinkDown(int nodeId, String reason);
}
