package io.derecho.testing;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Deterministic message contents: the bytes of message {@code index} of {@code sender} in shard
 * {@code shard} follow from those three numbers and the size, so any receiver can check what it
 * got without a copy of what was sent.
 */
public final class Payloads {
    private Payloads() {
    }

    public static void fill(ByteBuffer buf, int shard, int sender, long index) {
        long x = mix(shard, sender, index);
        int n = buf.remaining();
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            x = next(x);
            buf.putLong(x);
        }
        for (; i < n; i++) {
            x = next(x);
            buf.put((byte) x);
        }
    }

    public static long expectedCrc(int size, int shard, int sender, long index) {
        ByteBuffer b = ByteBuffer.allocate(size);
        fill(b, shard, sender, index);
        b.flip();
        return crc(b);
    }

    public static long crc(ByteBuffer payload) {
        CRC32C c = new CRC32C();
        c.update(payload.duplicate());
        return c.getValue();
    }

    private static long mix(int shard, int sender, long index) {
        return next(next(shard * 0x9E3779B97F4A7C15L + sender) ^ index);
    }

    private static long next(long x) {
        x += 0x9E3779B97F4A7C15L;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }
}
