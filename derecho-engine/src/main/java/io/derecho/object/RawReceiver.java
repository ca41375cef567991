package io.derecho.object;

import java.nio.ByteBuffer;

/** A replicated type that also takes raw multicasts ({@link Replicated#send}), in the shard's delivery order. */
public interface RawReceiver {
    /** {@code payload} is valid only during the call. */
    void onRaw(int sender, ByteBuffer payload, long version);
}
