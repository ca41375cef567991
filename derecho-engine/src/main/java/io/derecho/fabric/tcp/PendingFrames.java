package io.derecho.fabric.tcp;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Frames sent to a known peer whose link has not been up since it was added, kept as copies (with
 * their length prefix, exactly as they will go on the wire) until the link comes up. Heap copies:
 * a peer that never shows up holds no pooled direct memory. Loop thread only.
 */
final class PendingFrames {

    private final ArrayDeque<byte[]> frames = new ArrayDeque<>();
    private long bytes;

    /** Bytes queued, length prefixes included. */
    long bytes() {
        return bytes;
    }

    int frames() {
        return frames.size();
    }

    /** Whether one more frame of {@code length} body bytes still fits under {@code limit}. */
    boolean fits(int length, long limit) {
        return bytes + 4 + length <= limit;
    }

    void add(ByteBuffer header, ByteBuffer body) {
        int length = header.remaining() + body.remaining();
        byte[] copy = new byte[4 + length];
        ByteBuffer.wrap(copy).putInt(length).put(header).put(body);
        frames.addLast(copy);
        bytes += copy.length;
    }

    /** Writes every frame, in order, to {@code channel} and empties the queue; does not flush. */
    void writeTo(Channel channel) {
        for (byte[] frame; (frame = frames.pollFirst()) != null; ) {
            channel.write(Unpooled.wrappedBuffer(frame), channel.voidPromise());
        }
        bytes = 0;
    }

    void clear() {
        frames.clear();
        bytes = 0;
    }
}
