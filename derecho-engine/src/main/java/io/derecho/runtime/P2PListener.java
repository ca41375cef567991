package io.derecho.runtime;

import java.nio.ByteBuffer;

/**
 * Receives point-to-point messages ({@link DerechoNode#sendP2P}) from other members. Called on the
 * node's protocol loop: hand anything slow to another thread. {@code message} is valid only during
 * the call.
 */
@FunctionalInterface
public interface P2PListener {
    void onMessage(int fromNodeId, ByteBuffer message);
}
