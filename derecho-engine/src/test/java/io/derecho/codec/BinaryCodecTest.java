package io.derecho.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.derecho.codec.Samples.Everything;
import io.derecho.codec.Samples.Kind;
import io.derecho.codec.Samples.Labelled;
import io.derecho.codec.Samples.Node;
import io.derecho.codec.Samples.Pair;
import io.derecho.codec.Samples.Point;
import io.derecho.codec.Samples.PutRequest;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BinaryCodecTest {
    private final BinaryCodec codec = BinaryCodec.create();

    /** What a replicated object's interface might declare; the RPC layer reads types from it. */
    interface KvStore {
        Optional<byte[]> put(String key, long version, byte[] value, List<String> tags, Kind kind);

        Map<String, List<Point>> query(Set<String> keys, Optional<Instant> since);

        void clear();
    }

    static Object roundTrip(Codec codec, Type type, Object value) {
        return codec.decode(type, codec.encode(type, value));
    }

    static void assertSameValue(Object actual, Object expected) {
        assertThat(actual).usingRecursiveComparison()
                .withEqualsForType(ByteBuffer::equals, ByteBuffer.class)
                .isEqualTo(expected);
    }

    @Test
    void encodesAndDecodesAMethodsArgumentsAndReplyFromItsGenericSignature() throws Exception {
        Method put = KvStore.class.getMethod("put", String.class, long.class, byte[].class, List.class, Kind.class);
        ArgumentsCodec args = codec.forArguments(put.getGenericParameterTypes());

        byte[] wire = args.encode("user:42", 7L, new byte[] {1, 2, 3}, List.of("hot", "eu"), Kind.PUT);
        Object[] decoded = args.decode(wire);

        assertThat(decoded[0]).isEqualTo("user:42");
        assertThat(decoded[1]).isEqualTo(7L);
        assertThat((byte[]) decoded[2]).containsExactly(1, 2, 3);
        assertThat(decoded[3]).isEqualTo(List.of("hot", "eu"));
        assertThat(decoded[4]).isEqualTo(Kind.PUT);

        Type reply = put.getGenericReturnType();
        @SuppressWarnings("unchecked")
        Optional<byte[]> previous = (Optional<byte[]>) roundTrip(codec, reply, Optional.of(new byte[] {4}));
        assertThat(previous).hasValueSatisfying(b -> assertThat(b).containsExactly(4));
    }

    @Test
    void nestedGenericParameterTypesRoundTrip() throws Exception {
        Method query = KvStore.class.getMethod("query", Set.class, Optional.class);
        Object[] args = {Set.of("a", "b"), Optional.of(Instant.parse("2026-01-02T03:04:05.678Z"))};
        Object[] decoded = codec.decodeAll(query.getGenericParameterTypes(),
                codec.encodeAll(query.getGenericParameterTypes(), args));
        assertThat(decoded).containsExactly(args);

        Map<String, List<Point>> reply = Map.of("a", List.of(new Point(1, 2), new Point(-3, 4)), "b", List.of());
        assertThat(roundTrip(codec, query.getGenericReturnType(), reply)).isEqualTo(reply);
    }

    @Test
    void voidRepliesAndEmptyArgumentListsAreEmptyMessages() throws Exception {
        Method clear = KvStore.class.getMethod("clear");
        assertThat(codec.encodeAll(clear.getGenericParameterTypes())).isEmpty();
        assertThat(codec.decodeAll(clear.getGenericParameterTypes(), new byte[0])).isEmpty();
        assertThat(codec.encode(clear.getGenericReturnType(), null)).isEmpty();
        assertThat(codec.decode(clear.getGenericReturnType(), new byte[0])).isNull();
    }

    @Test
    void aWholeMessageByteArrayIsTheMessageItselfWithoutCopyOrHeader() {
        byte[] payload = {5, 6, 7};
        assertThat(codec.encode(byte[].class, payload)).isSameAs(payload);
        assertThat(codec.decode(byte[].class, payload)).isSameAs(payload);
    }

    @Test
    void aWholeMessageByteBufferIsItsBytesAndDecodesAsAViewOfTheInput() {
        byte[] backing = {1, 2, 3, 4};
        assertThat(codec.encode(ByteBuffer.class, ByteBuffer.wrap(backing))).isSameAs(backing);
        ByteBuffer middle = ByteBuffer.wrap(backing, 1, 2);
        assertThat(codec.encode(ByteBuffer.class, middle)).containsExactly(2, 3);
        assertThat(middle.position()).isEqualTo(1);

        ByteBuffer decoded = (ByteBuffer) codec.decode(ByteBuffer.class, backing);
        assertThat(decoded.array()).isSameAs(backing);
        assertThat(decoded.remaining()).isEqualTo(4);
    }

    @Test
    void aByteBufferInsideAMessageCostsOnlyALengthAndDecodesWithoutACopy() {
        Type type = new TypeRef<Pair<String, ByteBuffer>>() {}.type();
        byte[] wire = codec.encode(type, new Pair<>("k", ByteBuffer.wrap(new byte[] {9, 9, 9})));
        assertThat(wire).hasSize(1 + 2 + 1 + 3);

        @SuppressWarnings("unchecked")
        Pair<String, ByteBuffer> decoded = (Pair<String, ByteBuffer>) codec.decode(type, wire);
        assertThat(decoded.second().hasArray()).isTrue();
        assertThat(decoded.second().array()).isSameAs(wire);
        assertThat(decoded.second()).isEqualTo(ByteBuffer.wrap(new byte[] {9, 9, 9}));
    }

    @Test
    void aNullByteArrayCannotBeAWholeMessageButCanBeAnArgument() {
        assertThatThrownBy(() -> codec.encode(byte[].class, null))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("null byte[] cannot be encoded as a whole message");
        Object[] decoded = codec.decodeAll(new Type[] {byte[].class}, codec.encodeAll(new Type[] {byte[].class}, (Object) null));
        assertThat(decoded).containsExactly((Object) null);
    }

    @Test
    void everyBuiltInTypeRoundTrips() {
        Everything value = Samples.everything();
        assertSameValue(roundTrip(codec, Everything.class, value), value);
    }

    @Test
    void nullsRoundTripInEveryReferencePosition() {
        Everything nulls = new Everything(false, (byte) 0, (short) 0, '\0', 0, 0, 0, 0, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null);
        assertSameValue(roundTrip(codec, Everything.class, nulls), nulls);
        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        withNull.add("x");
        assertThat(roundTrip(codec, new TypeRef<List<String>>() {}.type(), withNull)).isEqualTo(withNull);
        assertThat(roundTrip(codec, Labelled.class, null)).isNull();
        assertThat(roundTrip(codec, new TypeRef<Optional<String>>() {}.type(), null)).isNull();
        assertThat(roundTrip(codec, new TypeRef<Optional<String>>() {}.type(), Optional.empty())).isEqualTo(Optional.empty());
    }

    @Test
    void primitivesCannotBeNull() {
        assertThatThrownBy(() -> codec.encodeAll(new Type[] {int.class}, (Object) null))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("null cannot be written as a primitive int");
    }

    @Test
    void smallNumbersAreVarintsAndExtremesSurvive() {
        assertThat(codec.encode(int.class, 0)).hasSize(1);
        assertThat(codec.encode(int.class, -64)).hasSize(1);
        assertThat(codec.encode(long.class, 1_000_000L)).hasSize(3);
        for (long v : new long[] {Long.MIN_VALUE, Long.MAX_VALUE, -1, 0, 1}) {
            assertThat(roundTrip(codec, long.class, v)).isEqualTo(v);
        }
        for (int v : new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE, -1, 0, 1}) {
            assertThat(roundTrip(codec, Integer.class, v)).isEqualTo(v);
        }
        assertThat(roundTrip(codec, double.class, Double.NaN)).isEqualTo(Double.NaN);
        assertThat(roundTrip(codec, float.class, -0.0f)).isEqualTo(-0.0f);
    }

    @Test
    void stringsAreUtf8AndSupplementaryCharactersSurvive() {
        String s = "a\u0000é€😀𝄞";
        assertThat(roundTrip(codec, String.class, s)).isEqualTo(s);
        assertThat(codec.encode(String.class, "é")).containsExactly(3, 0xC3 - 256, 0xA9 - 256);
        String large = "x".repeat(100_000) + "é";
        assertThat(roundTrip(codec, String.class, large)).isEqualTo(large);
    }

    @Test
    void aStringWithAnUnpairedSurrogateIsRejectedInsteadOfMangled() {
        assertThatThrownBy(() -> codec.encode(String.class, "ab\uD800c"))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("unpaired surrogate U+D800 at index 2");
    }

    @Test
    void enumsTravelByNameSoReorderingOnOneSideCannotChangeTheValue() {
        assertThat(codec.encode(Kind.class, Kind.CAS)).containsExactly(4, 'C', 'A', 'S');
        for (Kind k : Kind.values()) {
            assertThat(roundTrip(codec, Kind.class, k)).isEqualTo(k);
        }
    }

    @Test
    void genericRecordsResolveTheirTypeArguments() {
        Type type = new TypeRef<Pair<String, List<Pair<Integer, Kind>>>>() {}.type();
        Pair<String, List<Pair<Integer, Kind>>> value = new Pair<>("p", List.of(new Pair<>(1, Kind.PUT), new Pair<>(null, null)));
        assertThat(roundTrip(codec, type, value)).isEqualTo(value);
    }

    @Test
    void typeRefParameterizedTypesEqualTheJdksSoTheyShareCachedEncoders() {
        Type built = TypeRef.parameterized(Map.class, String.class, TypeRef.parameterized(List.class, Point.class));
        Type reflected = new TypeRef<Map<String, List<Point>>>() {}.type();
        assertThat(built).isEqualTo(reflected).hasSameHashCodeAs(reflected);
        assertThat(reflected).isEqualTo(built);
        assertThat(built.getTypeName()).isEqualTo(reflected.getTypeName());
    }

    @Test
    void recursiveRecordsRoundTrip() {
        Node tree = new Node("root", List.of(new Node("a", List.of(new Node("a1", List.of()))), new Node("b", null)));
        assertThat(roundTrip(codec, Node.class, tree)).isEqualTo(tree);
    }

    @Test
    void aCyclicObjectGraphFailsWithADepthErrorNotAStackOverflow() {
        List<Node> children = new ArrayList<>();
        Node cyclic = new Node("loop", children);
        children.add(cyclic);
        assertThatThrownBy(() -> codec.encode(Node.class, cyclic))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("deeper than " + ByteSource.MAX_DEPTH);
    }

    @Test
    void collectionsDecodeAsTheDeclaredTypeOrAnOrderPreservingOne() {
        assertThat(roundTrip(codec, new TypeRef<LinkedList<String>>() {}.type(), new LinkedList<>(List.of("a"))))
                .isInstanceOf(LinkedList.class);
        assertThat(roundTrip(codec, new TypeRef<Collection<String>>() {}.type(), List.of("a"))).isEqualTo(List.of("a"));
        assertThat(roundTrip(codec, new TypeRef<SortedSet<String>>() {}.type(), new TreeSet<>(Set.of("b", "a"))))
                .isInstanceOf(TreeSet.class).isEqualTo(Set.of("a", "b"));
        assertThat(roundTrip(codec, new TypeRef<TreeMap<Integer, String>>() {}.type(), new TreeMap<>(Map.of(2, "b", 1, "a"))))
                .isInstanceOf(TreeMap.class);
        assertThat(roundTrip(codec, new TypeRef<HashMap<String, int[]>>() {}.type(), new HashMap<>()))
                .isInstanceOf(HashMap.class);
        List<String> order = List.of("z", "a", "m");
        @SuppressWarnings("unchecked")
        Set<String> decoded = (Set<String>) roundTrip(codec, new TypeRef<Set<String>>() {}.type(), new java.util.LinkedHashSet<>(order));
        assertThat(decoded).containsExactlyElementsOf(order);
    }

    @Test
    void arraysOfObjectsAndGenericArraysRoundTrip() {
        Point[][] grid = {{new Point(1, 1)}, {}, null};
        assertSameValue(roundTrip(codec, Point[][].class, grid), grid);
        @SuppressWarnings("unchecked")
        List<String>[] lists = new List[] {List.of("a"), null};
        Type type = new TypeRef<List<String>[]>() {}.type();
        assertSameValue(roundTrip(codec, type, lists), lists);
    }

    @Test
    void otherBuiltInsRoundTrip() {
        assertThat(roundTrip(codec, UUID.class, UUID.randomUUID())).isNotNull();
        assertThat(roundTrip(codec, Instant.class, Instant.MIN)).isEqualTo(Instant.MIN);
        assertThat(roundTrip(codec, Instant.class, Instant.MAX)).isEqualTo(Instant.MAX);
        assertThat(roundTrip(codec, Duration.class, Duration.ofSeconds(Long.MIN_VALUE))).isEqualTo(Duration.ofSeconds(Long.MIN_VALUE));
        assertThat(roundTrip(codec, BigInteger.class, BigInteger.ZERO)).isEqualTo(BigInteger.ZERO);
        BigDecimal tiny = new BigDecimal("-0.000000000000000000001");
        assertThat(roundTrip(codec, BigDecimal.class, tiny)).isEqualTo(tiny);
        assertThat(roundTrip(codec, char[].class, "chars".toCharArray())).isEqualTo("chars".toCharArray());
        assertThat(roundTrip(codec, boolean[].class, new boolean[] {true, false})).isEqualTo(new boolean[] {true, false});
        assertThat(roundTrip(codec, short[].class, new short[] {-1, 2})).isEqualTo(new short[] {-1, 2});
        assertThat(roundTrip(codec, float[].class, new float[] {1.5f})).isEqualTo(new float[] {1.5f});
        assertThat(roundTrip(codec, double[].class, new double[] {-1.5})).isEqualTo(new double[] {-1.5});
    }

    /** Not a record, so the codec cannot take it apart by itself. */
    static final class Money {
        final long cents;
        final String currency;

        Money(long cents, String currency) {
            this.cents = cents;
            this.currency = currency;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Money m && m.cents == cents && m.currency.equals(currency);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(cents) * 31 + currency.hashCode();
        }
    }

    private static final TypeCodec<Money> MONEY = new TypeCodec<>() {
        @Override
        public void write(Money value, ByteSink out) {
            out.writeSignedVarLong(value.cents);
            out.writeString(value.currency);
        }

        @Override
        public Money read(ByteSource in) {
            long cents = in.readSignedVarLong();
            String currency = in.readString();
            if (currency == null) {
                throw new CodecException("null currency");
            }
            return new Money(cents, currency);
        }
    };

    record Invoice(String id, List<Money> lines, Money total) {
    }

    @Test
    void aPlainClassFailsAtEncoderConstructionWithAMessageSayingWhatToDo() {
        assertThatThrownBy(() -> codec.forArguments(String.class, Invoice.class))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("no codec for io.derecho.codec.BinaryCodecTest$Money")
                .hasMessageContaining("register a TypeCodec")
                .hasMessageContaining("BinaryCodec.builder().register(Money.class, codec)")
                .hasMessageContaining("in record component io.derecho.codec.BinaryCodecTest$Invoice.lines")
                .hasMessageContaining("in argument 1");
    }

    @Test
    void aRegisteredTypeCodecIsUsedWhereverItsClassAppears() {
        BinaryCodec withMoney = BinaryCodec.builder().register(Money.class, MONEY).build();
        Invoice invoice = new Invoice("i-1", List.of(new Money(150, "EUR"), new Money(-5, "EUR")), null);
        assertThat(roundTrip(withMoney, Invoice.class, invoice)).isEqualTo(invoice);
    }

    @Test
    void aCustomCodecsOtherExceptionsOnBadInputBecomeCodecExceptions() {
        TypeCodec<Money> strict = new TypeCodec<>() {
            @Override
            public void write(Money value, ByteSink out) {
                MONEY.write(value, out);
            }

            @Override
            public Money read(ByteSource in) {
                Money m = MONEY.read(in);
                if (m.cents < 0) {
                    throw new IllegalStateException("negative amount");
                }
                return m;
            }
        };
        BinaryCodec c = BinaryCodec.builder().register(Money.class, strict).build();
        byte[] wire = c.encode(Money.class, new Money(-1, "EUR"));
        assertThatThrownBy(() -> c.decode(Money.class, wire))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("custom codec for io.derecho.codec.BinaryCodecTest$Money failed")
                .hasMessageContaining("negative amount");
    }

    @Test
    void unsupportedDeclaredTypesAreNamedWithTheReason() {
        assertThatThrownBy(() -> codec.encode(Object.class, "x"))
                .isInstanceOf(CodecException.class).hasMessageContaining("no codec for java.lang.Object");
        assertThatThrownBy(() -> codec.encode(Runnable.class, null))
                .isInstanceOf(CodecException.class).hasMessageContaining("java.lang.Runnable: it is an interface");
        assertThatThrownBy(() -> codec.encode(List.class, List.of()))
                .isInstanceOf(CodecException.class).hasMessageContaining("raw type");
        assertThatThrownBy(() -> codec.encode(Pair.class, null))
                .isInstanceOf(CodecException.class).hasMessageContaining("generic record used without type arguments");
        assertThatThrownBy(() -> codec.encode(new TypeRef<SortedSet<Point>>() {}.type(), null))
                .isInstanceOf(CodecException.class).hasMessageContaining("is not Comparable");
        assertThatThrownBy(() -> codec.encode(new TypeRef<List<?>>() {}.type(), null))
                .isInstanceOf(CodecException.class).hasMessageContaining("no codec for java.lang.Object");
    }

    @Test
    void aValueOfTheWrongClassIsACodecException() {
        assertThatThrownBy(() -> codec.encode(Point.class, "not a point"))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("value of java.lang.String does not match declared type io.derecho.codec.Samples$Point");
        assertThatThrownBy(() -> codec.forArguments(String.class, long.class).encode("a", "b"))
                .isInstanceOf(CodecException.class).hasMessageContaining("argument 1");
        assertThatThrownBy(() -> codec.forArguments(String.class).encode("a", "b"))
                .isInstanceOf(CodecException.class).hasMessageContaining("expected 1 values");
    }

    @Test
    void aRecordsValidationRejectsBadDecodedComponentsAsACodecException() {
        byte[] wire = codec.encode(Point.class, new Point(-5, 0));
        assertThatThrownBy(() -> codec.decode(Samples.Positive.class, wire))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("io.derecho.codec.Samples$Positive rejected the decoded components")
                .hasMessageContaining("value must be positive: -5");
    }

    @Test
    void writeAndReadCompose() {
        ByteSink sink = new ByteSink(0);
        codec.write(String.class, "a", sink);
        codec.write(PutRequest.class, new PutRequest("k", 1, new byte[0], List.of(), Kind.DELETE), sink);
        codec.write(int.class, 3, sink);
        ByteSource in = ByteSource.of(sink.toByteArray());
        assertThat(codec.read(String.class, in)).isEqualTo("a");
        assertThat(((PutRequest) codec.read(PutRequest.class, in)).kind()).isEqualTo(Kind.DELETE);
        assertThat(codec.read(int.class, in)).isEqualTo(3);
        assertThat(in.remaining()).isZero();
    }

    @Test
    void theEncoderForATypeIsBuiltOnceAndSharedAcrossThreads() throws Exception {
        Type type = new TypeRef<Map<String, List<Labelled>>>() {}.type();
        Map<String, List<Labelled>> value = Map.of("x", List.of(new Labelled("l", new Point(1, 2), Optional.of(new Point(0, 0)))));
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 1000; i++) {
                        assertThat(roundTrip(codec, type, value)).isEqualTo(value);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).isEmpty();
    }
}
