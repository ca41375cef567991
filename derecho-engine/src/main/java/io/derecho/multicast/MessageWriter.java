package io.derecho.multicast;

import java.nio.ByteBuffer;

/** Writes a message straight into the outgoing buffer (a slot of the sender's SST row for small messages). */
@FunctionalInterface
public interface MessageWriter {
    /** {@code buffer} has position 0 and exactly the requested size remaining. */
    void write(ByteBuffer buffer);
}
