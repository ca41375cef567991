package io.derecho.codec;

import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default codec: a compact binary format driven entirely by the declared types, with no type
 * names or field tags on the wire and no Java serialization. Records need no registration: each
 * type's encoder (method handles for a record's accessors and canonical constructor) is built on
 * first use and cached, so a call costs a map lookup plus the writes themselves.
 *
 * <p>Supported: primitives and their boxes, String, enums (by name), records (also generic and
 * recursive ones), arrays, List/Collection/Set/Map and their common implementations, Optional,
 * UUID, Instant, Duration, BigInteger, BigDecimal, byte[] and ByteBuffer, and any class with a
 * registered {@link TypeCodec}. Anything else fails when its encoder is built (at the latest on
 * first use; {@link #forArguments} builds eagerly) with a {@link CodecException} naming the type.
 * The format of each type is described where it is implemented and pinned by golden-bytes tests.
 */
public final class BinaryCodec implements Codec {
    /** Per-thread scratch buffers larger than this are dropped after use rather than kept. */
    private static final int MAX_KEPT_SINK = 64 * 1024;
    private static final ThreadLocal<ByteSink> SCRATCH = new ThreadLocal<>();

    private final Map<Class<?>, TypeCodec<?>> custom;
    private final ConcurrentHashMap<Type, Encoder> cache = new ConcurrentHashMap<>();

    private BinaryCodec(Map<Class<?>, TypeCodec<?>> custom) {
        this.custom = Map.copyOf(custom);
    }

    /** A codec with only the built-in encodings. */
    public static BinaryCodec create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void write(Type type, Object value, ByteSink out) {
        Encoder encoder = encoder(type);
        try {
            encoder.write(out, value);
        } catch (ClassCastException e) {
            throw mismatch(type, value, e);
        }
    }

    @Override
    public Object read(Type type, ByteSource in) {
        return encoder(type).read(in);
    }

    @Override
    public byte[] encode(Type type, Object value) {
        if (type == byte[].class || type == ByteBuffer.class) {
            return PassThrough.encode(type, value);
        }
        Encoder encoder = encoder(type);
        ByteSink out = acquire();
        try {
            encoder.write(out, value);
            return out.toByteArray();
        } catch (ClassCastException e) {
            throw mismatch(type, value, e);
        } finally {
            release(out);
        }
    }

    @Override
    public ArgumentsCodec forArguments(Type... types) {
        Encoder[] encoders = new Encoder[types.length];
        for (int i = 0; i < types.length; i++) {
            try {
                encoders[i] = encoder(types[i]);
            } catch (CodecException e) {
                throw new CodecException(e.getMessage() + "; in argument " + i, e);
            }
        }
        return new Arguments(List.of(types), encoders);
    }

    /** The cached encoder for {@code type}, built (with everything it contains) on first use. */
    private Encoder encoder(Type type) {
        Encoder e = cache.get(Objects.requireNonNull(type, "type"));
        return e != null ? e : build(type);
    }

    /** Serialized so recursive types are built once, consistently; this happens once per type. */
    private synchronized Encoder build(Type type) {
        Encoder e = cache.get(type);
        if (e != null) {
            return e;
        }
        EncoderFactory factory = new EncoderFactory(custom, cache::get);
        e = factory.resolve(type);
        cache.putAll(factory.built());
        return e;
    }

    private static ByteSink acquire() {
        ByteSink sink = SCRATCH.get();
        if (sink == null) {
            return new ByteSink(256);
        }
        SCRATCH.set(null); // a TypeCodec that encodes re-entrantly gets its own sink
        sink.reset();
        return sink;
    }

    private static void release(ByteSink sink) {
        if (sink.capacity() <= MAX_KEPT_SINK) {
            SCRATCH.set(sink);
        }
    }

    private static CodecException mismatch(Type type, Object value, ClassCastException e) {
        return new CodecException("value of " + value.getClass().getName() + " does not match declared type "
                + type.getTypeName() + ": " + e.getMessage(), e);
    }

    private static final class Arguments implements ArgumentsCodec {
        private final List<Type> types;
        private final Encoder[] encoders;

        Arguments(List<Type> types, Encoder[] encoders) {
            this.types = types;
            this.encoders = encoders;
        }

        @Override
        public List<Type> types() {
            return types;
        }

        @Override
        public void write(Object[] values, ByteSink out) {
            PassThrough.checkArity(types, values);
            for (int i = 0; i < values.length; i++) {
                try {
                    encoders[i].write(out, values[i]);
                } catch (ClassCastException e) {
                    throw new CodecException("argument " + i + ": " + mismatch(types.get(i), values[i], e).getMessage(), e);
                }
            }
        }

        @Override
        public Object[] read(ByteSource in) {
            Object[] values = new Object[encoders.length];
            for (int i = 0; i < values.length; i++) {
                try {
                    values[i] = encoders[i].read(in);
                } catch (CodecException e) {
                    throw new CodecException(e.getMessage() + "; in argument " + i + " (" + types.get(i).getTypeName()
                            + ")", e);
                }
            }
            return values;
        }

        @Override
        public byte[] encode(Object... values) {
            ByteSink out = acquire();
            try {
                write(values, out);
                return out.toByteArray();
            } finally {
                release(out);
            }
        }
    }

    /** Registers hand-written encodings; immutable once built. */
    public static final class Builder {
        private final Map<Class<?>, TypeCodec<?>> custom = new HashMap<>();

        private Builder() {
        }

        /**
         * Uses {@code codec} for values declared as exactly {@code type} (in any position: argument,
         * component, element). It takes precedence over a built-in encoding of the same class.
         */
        public <T> Builder register(Class<T> type, TypeCodec<T> codec) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(codec, "codec");
            if (type.isPrimitive()) {
                throw new CodecException("cannot register a codec for primitive " + type + "; register its box instead");
            }
            if (custom.putIfAbsent(type, codec) != null) {
                throw new CodecException("a codec for " + type.getName() + " is already registered");
            }
            return this;
        }

        public BinaryCodec build() {
            return new BinaryCodec(custom);
        }
    }
}
