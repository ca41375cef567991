package io.derecho.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The built-in encodings of single values. Formats (after the presence byte of a nullable type):
 * boolean and byte one byte; short and char 2 bytes; int and long zig-zag varints (small values,
 * the common case for counts, ids and versions, take 1-3 bytes); float and double IEEE 754 bits;
 * all fixed-width numbers big-endian. Strings, byte arrays, ByteBuffers and BigIntegers carry
 * {@code varint(length + 1)}, with 0 meaning null, so they need no separate presence byte.
 */
final class Scalars {
    private Scalars() {
    }

    /** The built-in encoder for {@code type}, or null if it has none. */
    static Encoder forClass(Class<?> type) {
        return BUILT_IN.get(type);
    }

    private static final Map<Class<?>, Encoder> BUILT_IN = new HashMap<>();

    static {
        both(boolean.class, Boolean.class, () -> new Scalar() {
            void writeValue(ByteSink out, Object v) {
                out.writeBoolean((Boolean) v);
            }

            Object readValue(ByteSource in) {
                return in.readBoolean();
            }
        });
        both(byte.class, Byte.class, () -> new Scalar() {
            void writeValue(ByteSink out, Object v) {
                out.writeByte((Byte) v);
            }

            Object readValue(ByteSource in) {
                return in.readByte();
            }
        });
        both(short.class, Short.class, () -> new Scalar() {
            void writeValue(ByteSink out, Object v) {
                out.writeShort((Short) v);
            }

            Object readValue(ByteSource in) {
                return in.readShort();
            }
        });
        both(char.class, Character.class, () -> new Scalar() {
            void writeValue(ByteSink out, Object v) {
                out.writeChar((Character) v);
            }

            Object readValue(ByteSource in) {
                return in.readChar();
            }
        });
        both(int.class, Integer.class, () -> new Scalar() {
            void writeValue(ByteSink out, Object v) {
                out.writeSignedVarInt((Integer) v);
            }

            Object readValue(ByteSource in) {
                return in.readSignedVarInt();
            }
        });
        both(long.class, Long.class, () -> new Scalar() {
            void writeValue(ByteSink out, Object v) {
                out.writeSignedVarLong((Long) v);
            }

            Object readValue(ByteSource in) {
                return in.readSignedVarLong();
            }
        });
        both(float.class, Float.class, () -> new Scalar() {
            void writeValue(ByteSink out, Object v) {
                out.writeFloat((Float) v);
            }

            Object readValue(ByteSource in) {
                return in.readFloat();
            }
        });
        both(double.class, Double.class, () -> new Scalar() {
            void writeValue(ByteSink out, Object v) {
                out.writeDouble((Double) v);
            }

            Object readValue(ByteSource in) {
                return in.readDouble();
            }
        });
        BUILT_IN.put(void.class, new Encoder() {
            void write(ByteSink out, Object v) {
                requireNull(v, "void");
            }

            Object read(ByteSource in) {
                return null;
            }
        });
        BUILT_IN.put(Void.class, new Encoder() {
            void write(ByteSink out, Object v) {
                requireNull(v, "Void");
                out.writeByte(0);
            }

            Object read(ByteSource in) {
                if (in.readPresence()) {
                    throw new CodecException("presence byte 1 for a Void value at offset " + (in.position() - 1)
                            + ": Void is always null");
                }
                return null;
            }
        });
        BUILT_IN.put(String.class, new Encoder() {
            void write(ByteSink out, Object v) {
                out.writeString((String) v);
            }

            Object read(ByteSource in) {
                return in.readString();
            }
        });
        BUILT_IN.put(byte[].class, new Encoder() {
            void write(ByteSink out, Object v) {
                if (v == null) {
                    out.writeByte(0);
                } else {
                    byte[] b = (byte[]) v;
                    out.writeVarInt(b.length + 1);
                    out.writeBytes(b);
                }
            }

            Object read(ByteSource in) {
                int n = in.readLength("byte[]", 1);
                return n < 0 ? null : in.readBytes(n);
            }
        });
        BUILT_IN.put(ByteBuffer.class, new Encoder() {
            void write(ByteSink out, Object v) {
                if (v == null) {
                    out.writeByte(0);
                } else {
                    ByteBuffer b = (ByteBuffer) v;
                    out.writeVarInt(b.remaining() + 1);
                    out.writeBytes(b);
                }
            }

            /** A view of the input, not a copy: it shares the array being decoded. */
            Object read(ByteSource in) {
                int n = in.readLength("ByteBuffer", 1);
                return n < 0 ? null : in.readSlice(n);
            }
        });
        BUILT_IN.put(UUID.class, new Encoder.Present() {
            void writeValue(ByteSink out, Object v) {
                UUID u = (UUID) v;
                out.writeLong(u.getMostSignificantBits());
                out.writeLong(u.getLeastSignificantBits());
            }

            Object readValue(ByteSource in) {
                return new UUID(in.readLong(), in.readLong());
            }
        });
        BUILT_IN.put(Instant.class, new Encoder.Present() {
            void writeValue(ByteSink out, Object v) {
                Instant t = (Instant) v;
                out.writeSignedVarLong(t.getEpochSecond());
                out.writeVarInt(t.getNano());
            }

            Object readValue(ByteSource in) {
                int at = in.position();
                long seconds = in.readSignedVarLong();
                int nanos = readNanos(in);
                try {
                    return Instant.ofEpochSecond(seconds, nanos);
                } catch (DateTimeException e) {
                    throw new CodecException("Instant at offset " + at + " is out of range: " + seconds + " s", e);
                }
            }
        });
        BUILT_IN.put(Duration.class, new Encoder.Present() {
            void writeValue(ByteSink out, Object v) {
                Duration d = (Duration) v;
                out.writeSignedVarLong(d.getSeconds());
                out.writeVarInt(d.getNano());
            }

            Object readValue(ByteSource in) {
                long seconds = in.readSignedVarLong();
                return Duration.ofSeconds(seconds, readNanos(in));
            }
        });
        BUILT_IN.put(BigInteger.class, new Encoder() {
            void write(ByteSink out, Object v) {
                if (v == null) {
                    out.writeByte(0);
                } else {
                    writeBigInteger(out, (BigInteger) v);
                }
            }

            Object read(ByteSource in) {
                int at = in.position();
                int n = in.readLength("BigInteger", 1);
                return n < 0 ? null : readMagnitude(in, n, at);
            }
        });
        BUILT_IN.put(BigDecimal.class, new Encoder.Present() {
            void writeValue(ByteSink out, Object v) {
                BigDecimal d = (BigDecimal) v;
                out.writeSignedVarInt(d.scale());
                writeBigInteger(out, d.unscaledValue());
            }

            Object readValue(ByteSource in) {
                int scale = in.readSignedVarInt();
                int at = in.position();
                int n = in.readLength("BigDecimal unscaled value", 1);
                if (n < 0) {
                    throw new CodecException("null unscaled value in a BigDecimal at offset " + at);
                }
                return new BigDecimal(readMagnitude(in, n, at), scale);
            }
        });
        ArrayEncoders.registerPrimitiveArrays(BUILT_IN);
    }

    private static void both(Class<?> primitive, Class<?> box, java.util.function.Supplier<Scalar> make) {
        Scalar p = make.get();
        p.init(primitive.getName(), false);
        Scalar b = make.get();
        b.init(box.getName(), true);
        BUILT_IN.put(primitive, p);
        BUILT_IN.put(box, b);
    }

    private static void requireNull(Object v, String type) {
        if (v != null) {
            throw new CodecException("a " + type + " value must be null, got " + v.getClass().getName());
        }
    }

    private static int readNanos(ByteSource in) {
        int at = in.position();
        int nanos = in.readVarInt();
        if (nanos < 0 || nanos > 999_999_999) {
            throw new CodecException("nanosecond field " + Integer.toUnsignedString(nanos) + " at offset " + at
                    + " is outside 0..999999999");
        }
        return nanos;
    }

    /** Two's complement, big-endian, as {@link BigInteger#toByteArray()} gives it, length-prefixed. */
    private static void writeBigInteger(ByteSink out, BigInteger v) {
        byte[] b = v.toByteArray();
        out.writeVarInt(b.length + 1);
        out.writeBytes(b);
    }

    private static BigInteger readMagnitude(ByteSource in, int n, int at) {
        if (n == 0) {
            throw new CodecException("empty BigInteger at offset " + at + ": at least one byte is required");
        }
        return new BigInteger(in.readBytes(n));
    }

    /** One type in a primitive (never null) and a boxed (presence byte) variant. */
    abstract static class Scalar extends Encoder {
        private String name;
        private boolean boxed;

        void init(String name, boolean boxed) {
            this.name = name;
            this.boxed = boxed;
        }

        @Override
        final void write(ByteSink out, Object value) {
            if (value == null) {
                if (!boxed) {
                    throw new CodecException("null cannot be written as a primitive " + name);
                }
                out.writeByte(0);
                return;
            }
            if (boxed) {
                out.writeByte(1);
            }
            writeValue(out, value);
        }

        @Override
        final Object read(ByteSource in) {
            if (boxed && !in.readPresence()) {
                return null;
            }
            return readValue(in);
        }

        abstract void writeValue(ByteSink out, Object value);

        abstract Object readValue(ByteSource in);
    }
}
