package io.derecho.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Types the codec tests and the comparison program share. */
final class Samples {
    private Samples() {
    }

    enum Kind { PUT, DELETE, CAS }

    /** A typical RPC argument: what a replicated key-value store's put might take. */
    record PutRequest(String key, long version, byte[] value, List<String> tags, Kind kind) {
    }

    record Point(int x, int y) {
    }

    record Labelled(String label, Point point, Optional<Point> previous) {
    }

    record Node(String name, List<Node> children) {
    }

    record Pair<A, B>(A first, B second) {
    }

    record Positive(int value) {
        Positive {
            if (value <= 0) {
                throw new IllegalArgumentException("value must be positive: " + value);
            }
        }
    }

    /** Every built-in kind of component at once. */
    record Everything(boolean z, byte b, short s, char c, int i, long l, float f, double d,
                      Integer boxed, String str, Kind kind, UUID id, Instant at, Duration took,
                      BigInteger big, BigDecimal dec, Optional<String> opt, List<String> list,
                      Set<Integer> set, Map<String, Long> map, int[] ints, long[] longs, String[] strs,
                      Labelled nested, ByteBuffer buf, byte[] bytes) {
    }

    static Everything everything() {
        return new Everything(true, (byte) -7, (short) 300, 'é', -123456, 1L << 40, 1.5f, -2.25,
                null, "héllo wörld ✓ 😀", Kind.CAS, new UUID(0x0123456789abcdefL, 0xfedcba9876543210L),
                Instant.ofEpochSecond(1_700_000_000L, 123_456_789), Duration.ofMillis(-1500),
                new BigInteger("-123456789012345678901234567890"), new BigDecimal("3.14159"),
                Optional.of("x"), List.of("a", "b"), Set.of(7), Map.of("k", -1L), new int[] {1, -2, 3},
                new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}, new String[] {"p", null},
                new Labelled("l", new Point(1, 2), Optional.empty()), ByteBuffer.wrap(new byte[] {9, 8, 7}),
                new byte[] {1, 2, 3});
    }
}
