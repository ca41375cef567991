package io.derecho.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.derecho.codec.Samples.Kind;
import io.derecho.codec.Samples.Labelled;
import io.derecho.codec.Samples.Node;
import io.derecho.codec.Samples.Pair;
import io.derecho.codec.Samples.Point;
import io.derecho.codec.Samples.PutRequest;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Round trips of random values, and random corruption of valid encodings: decoding either gives
 * a value or a CodecException, never another exception, an OutOfMemoryError or a stack overflow.
 *
 * <p>Each check runs many iterations, each on values generated from a {@link Random} with its own
 * seed; a failure names the seed and how to replay it (see {@link RandomChecks}):
 * {@code -Dderecho.codec.seed=S -Dderecho.codec.tries=1 -Dtest='BinaryCodecPropertiesTest#check'}.
 */
class BinaryCodecPropertiesTest {
    private static final BinaryCodec CODEC = BinaryCodec.create();
    private static final Type INDEX = new TypeRef<Map<String, List<Long>>>() {}.type();
    private static final Type PAIR = new TypeRef<Pair<String, Double>>() {}.type();

    /** Components of many kinds, nested. */
    record Mixed(Labelled labelled, Map<String, List<Long>> index, Set<Kind> kinds, Optional<UUID> id, int[] ints,
                 Instant at, BigDecimal amount, Pair<String, Double> pair) {
    }

    /** The arguments of {@link #argumentListsRoundTrip}. */
    record Arguments(int i, long l, String s, double d, short sh, char c, boolean z, byte[] bytes) {
    }

    private String test;

    @BeforeEach
    void nameTheCheck(TestInfo info) {
        test = getClass().getSimpleName() + "#" + info.getTestMethod().orElseThrow().getName();
    }

    private <T> void forAll(int tries, Function<Random, ? extends T> generator, Consumer<? super T> check) {
        RandomChecks.forAll(test, tries, generator, check);
    }

    // ---- round trips

    @Test
    void putRequestsRoundTrip() {
        forAll(1000, Gen::putRequest, request ->
                assertSameValue(BinaryCodecTest.roundTrip(CODEC, PutRequest.class, request), request));
    }

    @Test
    void nestedRecordsRoundTrip() {
        forAll(1000, Gen::mixed, value ->
                assertSameValue(BinaryCodecTest.roundTrip(CODEC, Mixed.class, value), value));
    }

    @Test
    void recursiveRecordsRoundTrip() {
        forAll(1000, Gen::tree, tree -> assertThat(BinaryCodecTest.roundTrip(CODEC, Node.class, tree)).isEqualTo(tree));
    }

    @Test
    void collectionsRoundTripInOrder() {
        forAll(1000, Gen::index, index -> {
            @SuppressWarnings("unchecked")
            Map<String, List<Long>> decoded = (Map<String, List<Long>>) BinaryCodecTest.roundTrip(CODEC, INDEX, index);
            assertThat(decoded).isEqualTo(index);
            assertThat(decoded.keySet()).containsExactlyElementsOf(index.keySet());
        });
    }

    @Test
    void stringsAreStandardUtf8() {
        forAll(2000, Gen::text, s -> {
            byte[] wire = CODEC.encode(String.class, s);
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            assertThat(Arrays.copyOfRange(wire, wire.length - utf8.length, wire.length)).isEqualTo(utf8);
            assertThat(CODEC.decode(String.class, wire)).isEqualTo(s);
        });
    }

    @Test
    void argumentListsRoundTrip() {
        Type[] types = {int.class, long.class, String.class, double.class, short.class, char.class, boolean.class,
            byte[].class, PAIR};
        forAll(1000, Gen::arguments, a -> {
            Object[] args = {a.i(), a.l(), a.s(), a.d(), a.sh(), a.c(), a.z(), a.bytes(), new Pair<>(a.s(), a.d())};
            Object[] decoded = CODEC.decodeAll(types, CODEC.encodeAll(types, args));
            assertSameValue(decoded, args);
        });
    }

    /**
     * Equal field by field, arrays by content, and floating-point numbers exactly ({@code -0.0} is
     * not {@code 0.0}, NaN is NaN) where AssertJ's default allows a difference of 1e-15 and
     * tells NaN from itself.
     */
    static void assertSameValue(Object actual, Object expected) {
        assertThat(actual).usingRecursiveComparison()
                .withEqualsForType(Double::equals, Double.class)
                .withEqualsForType(Float::equals, Float.class)
                .withEqualsForType(ByteBuffer::equals, ByteBuffer.class)
                .isEqualTo(expected);
    }

    // ---- corrupt input

    /** Each iteration cuts one encoding at its last byte and at a few random places. */
    @Test
    void everyStrictPrefixOfAnEncodingIsRejected() {
        record Cuts(Mixed value, int[] cuts) {
        }
        forAll(1000, r -> new Cuts(Gen.mixed(r), r.ints(4, 0, Integer.MAX_VALUE).toArray()), c -> {
            byte[] wire = CODEC.encode(Mixed.class, c.value());
            assertThat(wire).isNotEmpty();
            for (int cut : c.cuts()) {
                assertRejected(Arrays.copyOf(wire, cut % wire.length));
            }
            assertRejected(Arrays.copyOf(wire, wire.length - 1));
        });
    }

    private static void assertRejected(byte[] prefix) {
        assertThatThrownBy(() -> CODEC.decode(Mixed.class, prefix))
                .as("decoding a %d-byte prefix", prefix.length).isInstanceOf(CodecException.class);
    }

    @Test
    void trailingBytesAreRejected() {
        record Extended(PutRequest request, byte[] extra) {
        }
        forAll(1000, r -> new Extended(Gen.putRequest(r), Gen.bytes(r, 1, 3)), e -> {
            byte[] wire = CODEC.encode(PutRequest.class, e.request());
            byte[] longer = Arrays.copyOf(wire, wire.length + e.extra().length);
            System.arraycopy(e.extra(), 0, longer, wire.length, e.extra().length);
            assertThatThrownBy(() -> CODEC.decode(PutRequest.class, longer))
                    .isInstanceOf(CodecException.class).hasMessageContaining("left over");
        });
    }

    @Test
    void mutatedRecordsDecodeOrFailWithCodecException() {
        record Mutated(Mixed value, List<Mutation> mutations) {
        }
        forAll(3000, r -> new Mutated(Gen.mixed(r), Gen.mutations(r)), m ->
                decodeOrCodecException(Mixed.class, mutate(CODEC.encode(Mixed.class, m.value()), m.mutations())));
    }

    @Test
    void mutatedArgumentListsDecodeOrFailWithCodecException() {
        record Mutated(PutRequest request, Node tree, List<Mutation> mutations) {
        }
        ArgumentsCodec args = CODEC.forArguments(PutRequest.class, Node.class, Samples.Everything.class);
        Samples.Everything everything = Samples.everything();
        forAll(2000, r -> new Mutated(Gen.putRequest(r), Gen.tree(r), Gen.mutations(r)), m -> {
            byte[] wire = mutate(args.encode(m.request(), m.tree(), everything), m.mutations());
            try {
                args.decode(wire);
            } catch (CodecException expected) {
                // the only acceptable failure
            }
        });
    }

    @Test
    void randomBytesDecodeOrFailWithCodecException() {
        List<Type> types = List.of(Mixed.class, PutRequest.class, Node.class, INDEX, Samples.Everything.class,
                String.class, long.class, Kind.class, BigDecimal.class);
        forAll(1000, r -> Gen.bytes(r, 0, 64), bytes -> {
            for (Type type : types) {
                decodeOrCodecException(type, bytes);
            }
        });
    }

    /** A change to a valid encoding: 0 flip a bit, 1 overwrite a byte, 2 insert a byte, 3 delete a byte. */
    record Mutation(int op, int at, byte value) {
        byte[] apply(byte[] in) {
            int n = in.length;
            switch (op) {
                case 0 -> {
                    if (n == 0) {
                        return in;
                    }
                    byte[] out = in.clone();
                    out[at % n] ^= (byte) (1 << (value & 7));
                    return out;
                }
                case 1 -> {
                    if (n == 0) {
                        return in;
                    }
                    byte[] out = in.clone();
                    out[at % n] = value;
                    return out;
                }
                case 2 -> {
                    int i = at % (n + 1);
                    byte[] out = new byte[n + 1];
                    System.arraycopy(in, 0, out, 0, i);
                    out[i] = value;
                    System.arraycopy(in, i, out, i + 1, n - i);
                    return out;
                }
                default -> {
                    if (n == 0) {
                        return in;
                    }
                    int i = at % n;
                    byte[] out = new byte[n - 1];
                    System.arraycopy(in, 0, out, 0, i);
                    System.arraycopy(in, i + 1, out, i, n - i - 1);
                    return out;
                }
            }
        }
    }

    private static byte[] mutate(byte[] wire, List<Mutation> mutations) {
        for (Mutation m : mutations) {
            wire = m.apply(wire);
        }
        return wire;
    }

    private static void decodeOrCodecException(Type type, byte[] bytes) {
        try {
            CODEC.decode(type, bytes);
        } catch (CodecException expected) {
            // the only acceptable failure
        }
    }

    // ---- generators

    /**
     * Random values of the shapes above. Numbers lean towards edge cases (zero, the extremes, both
     * sides of each power of two, where variable-length encodings change length); strings are valid
     * Unicode with controls, BMP characters and supplementary ones (surrogate pairs).
     */
    static final class Gen {
        private static final long[] LONG_EDGES = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1,
            Long.MAX_VALUE - 1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0xFFFF_FFFFL};
        private static final int[] INT_EDGES = {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE + 1,
            Integer.MAX_VALUE - 1, Short.MIN_VALUE, Short.MAX_VALUE, 0xFFFF};
        private static final short[] SHORT_EDGES = {0, 1, -1, Short.MIN_VALUE, Short.MAX_VALUE, 127, 128, -128, 255};
        private static final char[] CHAR_EDGES = {'\0', 'a', '\u007F', '\u0080', '\u00E9', '\u07FF', '\u0800',
            '\uD7FF', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uE000', '\uFFFD', '\uFFFF'};
        private static final double[] DOUBLE_EDGES = {0.0, -0.0, 1.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE,
            Double.MIN_NORMAL, Math.ulp(1.0), 0.1};
        private static final Kind[] KINDS = Kind.values();

        private Gen() {
        }

        static <T> T orNull(Random r, double p, Supplier<? extends T> value) {
            return r.nextDouble() < p ? null : value.get();
        }

        static <T> List<T> list(Random r, int max, Supplier<? extends T> element) {
            int n = r.nextInt(max + 1);
            List<T> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(element.get());
            }
            return out;
        }

        static long anyLong(Random r) {
            return switch (r.nextInt(10)) {
                case 0 -> LONG_EDGES[r.nextInt(LONG_EDGES.length)];
                case 1, 2 -> {
                    long v = (1L << r.nextInt(63)) + r.nextInt(3) - 1;
                    yield r.nextBoolean() ? v : -v;
                }
                case 3 -> r.nextInt(2001) - 1000;
                default -> r.nextLong();
            };
        }

        static int anyInt(Random r) {
            return switch (r.nextInt(10)) {
                case 0 -> INT_EDGES[r.nextInt(INT_EDGES.length)];
                case 1, 2 -> {
                    int v = (1 << r.nextInt(31)) + r.nextInt(3) - 1;
                    yield r.nextBoolean() ? v : -v;
                }
                case 3 -> r.nextInt(2001) - 1000;
                default -> r.nextInt();
            };
        }

        static short anyShort(Random r) {
            return r.nextInt(5) == 0 ? SHORT_EDGES[r.nextInt(SHORT_EDGES.length)] : (short) r.nextInt();
        }

        /** Any UTF-16 unit, lone surrogates included: a char is not a code point. */
        static char anyChar(Random r) {
            return r.nextInt(5) == 0 ? CHAR_EDGES[r.nextInt(CHAR_EDGES.length)] : (char) r.nextInt(0x10000);
        }

        static double anyDouble(Random r) {
            return switch (r.nextInt(10)) {
                case 0, 1 -> DOUBLE_EDGES[r.nextInt(DOUBLE_EDGES.length)];
                case 2, 3 -> Double.longBitsToDouble(r.nextLong()); // any bit pattern: NaN payloads, subnormals
                case 4 -> (r.nextInt(2001) - 1000) / 4.0;
                default -> (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(41) - 20);
            };
        }

        /** {@code min..max} random bytes; short lengths and uniform fills more often than chance. */
        static byte[] bytes(Random r, int min, int max) {
            int n = r.nextInt(4) == 0 ? min + r.nextInt(Math.min(max - min, 4) + 1) : min + r.nextInt(max - min + 1);
            byte[] out = new byte[n];
            if (r.nextInt(10) == 0) {
                Arrays.fill(out, (byte) (r.nextBoolean() ? 0 : -1));
            } else {
                r.nextBytes(out);
            }
            return out;
        }

        /** Valid Unicode: ASCII most of the time, but also controls, BMP and supplementary code points. */
        static String text(Random r) {
            int n = r.nextInt(10) == 0 ? 0 : r.nextInt(41);
            StringBuilder s = new StringBuilder(n * 2);
            for (int i = 0; i < n; i++) {
                int weight = r.nextInt(10);
                s.appendCodePoint(weight < 6 ? 0x20 + r.nextInt(0x7E - 0x20 + 1)
                        : weight < 7 ? r.nextInt(0x20)
                        : weight < 9 ? 0x80 + r.nextInt(0xD7FF - 0x80 + 1)
                        : 0xE000 + r.nextInt(0x10FFFF - 0xE000 + 1)); // mostly supplementary: surrogate pairs
            }
            return s.toString();
        }

        static Kind kind(Random r) {
            return KINDS[r.nextInt(KINDS.length)];
        }

        static Set<Kind> kinds(Random r) {
            List<Kind> kinds = new ArrayList<>(List.of(KINDS));
            kinds.removeIf(k -> r.nextBoolean());
            Collections.shuffle(kinds, r);
            return new LinkedHashSet<>(kinds);
        }

        static PutRequest putRequest(Random r) {
            return new PutRequest(
                    orNull(r, 0.05, () -> text(r)),
                    anyLong(r),
                    orNull(r, 0.05, () -> bytes(r, 0, 300)),
                    orNull(r, 0.05, () -> list(r, 5, () -> text(r))),
                    orNull(r, 0.05, () -> kind(r)));
        }

        /** Insertion-ordered, so that the order of the decoded map can be checked. */
        static Map<String, List<Long>> index(Random r) {
            int n = r.nextInt(6);
            Map<String, List<Long>> index = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                index.put(text(r), list(r, 4, () -> orNull(r, 0.05, () -> anyLong(r))));
            }
            return index;
        }

        static Point point(Random r) {
            return new Point(anyInt(r), anyInt(r));
        }

        static Labelled labelled(Random r) {
            return new Labelled(text(r), orNull(r, 0.1, () -> point(r)),
                    r.nextInt(4) == 0 ? Optional.empty() : Optional.of(point(r)));
        }

        /** Unscaled values in [-2^100, 2^100], scales in [-20, 20]. */
        static BigDecimal amount(Random r) {
            BigInteger unscaled = r.nextInt(50) == 0 ? BigInteger.TWO.pow(100) : new BigInteger(r.nextInt(101), r);
            return new BigDecimal(r.nextBoolean() ? unscaled : unscaled.negate(), r.nextInt(41) - 20);
        }

        static Instant instant(Random r) {
            return switch (r.nextInt(10)) {
                case 0 -> Instant.MIN;
                case 1 -> Instant.MAX;
                case 2 -> Instant.EPOCH.plusNanos(r.nextInt(2001) - 1000);
                case 3, 4 -> Instant.ofEpochSecond(1_700_000_000L + r.nextInt(), r.nextInt(1_000_000_000));
                default -> Instant.ofEpochSecond(
                        r.nextLong(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond() + 1),
                        r.nextInt(1_000_000_000));
            };
        }

        static UUID uuid(Random r) {
            return new UUID(anyLong(r), anyLong(r));
        }

        static int[] ints(Random r, int max) {
            int[] out = new int[r.nextInt(max + 1)];
            for (int i = 0; i < out.length; i++) {
                out[i] = anyInt(r);
            }
            return out;
        }

        static Mixed mixed(Random r) {
            return new Mixed(
                    orNull(r, 0.05, () -> labelled(r)),
                    orNull(r, 0.05, () -> index(r)),
                    orNull(r, 0.05, () -> kinds(r)),
                    orNull(r, 0.05, () -> r.nextInt(4) == 0 ? Optional.<UUID>empty() : Optional.of(uuid(r))),
                    orNull(r, 0.05, () -> ints(r, 10)),
                    orNull(r, 0.05, () -> instant(r)),
                    orNull(r, 0.05, () -> amount(r)),
                    orNull(r, 0.05, () -> new Pair<>(orNull(r, 0.1, () -> text(r)),
                            orNull(r, 0.1, () -> anyDouble(r)))));
        }

        /** Trees three levels deep, up to three children a node, with null names and child lists. */
        static Node tree(Random r) {
            return tree(r, 3);
        }

        private static Node tree(Random r, int depth) {
            if (depth == 0) {
                return new Node(text(r), List.of());
            }
            return new Node(orNull(r, 0.1, () -> text(r)), orNull(r, 0.1, () -> list(r, 3, () -> tree(r, depth - 1))));
        }

        static Arguments arguments(Random r) {
            return new Arguments(anyInt(r), anyLong(r), text(r), anyDouble(r), anyShort(r), anyChar(r),
                    r.nextBoolean(), bytes(r, 0, 255));
        }

        /** One to four changes anywhere. */
        static List<Mutation> mutations(Random r) {
            int n = 1 + r.nextInt(4);
            List<Mutation> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(new Mutation(r.nextInt(4), r.nextInt(Integer.MAX_VALUE), (byte) r.nextInt(256)));
            }
            return out;
        }
    }
}
