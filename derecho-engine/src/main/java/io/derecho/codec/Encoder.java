package io.derecho.codec;

/**
 * The encoding of one declared type, built once per type and cached by {@link BinaryCodec}. Each
 * encoder owns its null representation: a presence byte ({@link Present}), a length prefix that
 * uses 0 for null, or none at all for primitives.
 */
abstract class Encoder {
    /** Appends {@code value}, which may be null. */
    abstract void write(ByteSink out, Object value);

    abstract Object read(ByteSource in);

    /** A reference type written as a presence byte (0 = null, 1 = present) and then the value. */
    abstract static class Present extends Encoder {
        @Override
        final void write(ByteSink out, Object value) {
            if (value == null) {
                out.writeByte(0);
            } else {
                out.writeByte(1);
                writeValue(out, value);
            }
        }

        @Override
        final Object read(ByteSource in) {
            return in.readPresence() ? readValue(in) : null;
        }

        abstract void writeValue(ByteSink out, Object value);

        abstract Object readValue(ByteSource in);
    }

    /**
     * Stands in for a type while it is being built, so a record can refer to itself (directly or
     * through a collection). Only such recursive types can nest without bound, so this is where
     * nesting depth is limited, on both sides.
     */
    static final class Recursive extends Encoder {
        private Encoder target;

        void bind(Encoder target) {
            this.target = target;
        }

        @Override
        void write(ByteSink out, Object value) {
            out.enter();
            target.write(out, value);
            out.exit();
        }

        @Override
        Object read(ByteSource in) {
            in.enter();
            Object value = target.read(in);
            in.exit();
            return value;
        }
    }

    /** A registered {@link TypeCodec}, inside a presence byte. */
    static final class Custom extends Present {
        private final Class<?> type;
        private final TypeCodec<Object> codec;

        @SuppressWarnings("unchecked")
        Custom(Class<?> type, TypeCodec<?> codec) {
            this.type = type;
            this.codec = (TypeCodec<Object>) codec;
        }

        @Override
        void writeValue(ByteSink out, Object value) {
            codec.write(type.cast(value), out);
        }

        @Override
        Object readValue(ByteSource in) {
            int at = in.position();
            try {
                return codec.read(in);
            } catch (CodecException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new CodecException("custom codec for " + type.getName() + " failed on input at offset " + at
                        + ": " + e, e);
            }
        }
    }
}
