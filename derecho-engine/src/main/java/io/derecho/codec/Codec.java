package io.derecho.codec;

import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * Turns values of a declared generic type into bytes and back, for RPC arguments, replies and
 * snapshots. Both sides use the same {@link Type} (from the method signature), so nothing about
 * the type travels on the wire.
 *
 * <p>{@link #write}/{@link #read} append to and consume from a shared buffer and are the building
 * blocks for composite messages. {@link #encode}/{@link #decode} produce a whole message, and
 * there {@code byte[]} and {@code ByteBuffer} pass through untouched: the message is the value's
 * bytes, with no header (so a null {@code byte[]} or {@code ByteBuffer} cannot be encoded that way;
 * inside {@code write}, an argument list or a record they get a length prefix and may be null).
 *
 * <p>Implementations are thread-safe.
 */
public interface Codec {
    /** Appends {@code value} (which may be null where {@code type} is not primitive). */
    void write(Type type, Object value, ByteSink out);

    /** Reads one value of {@code type}, leaving {@code in} after its last byte. */
    Object read(Type type, ByteSource in);

    /**
     * The bytes of a whole message holding {@code value}. A non-null {@code byte[]} is returned
     * as is (not copied); a {@code ByteBuffer}'s remaining bytes are returned, without a copy when
     * they are exactly its whole backing array.
     */
    default byte[] encode(Type type, Object value) {
        if (type == byte[].class || type == ByteBuffer.class) {
            return PassThrough.encode(type, value);
        }
        ByteSink out = new ByteSink();
        write(type, value, out);
        return out.toByteArray();
    }

    /**
     * The value of a whole message; every byte must belong to it. A {@code byte[]} comes back as
     * {@code bytes} itself and a {@code ByteBuffer} as a view of it (neither copied).
     */
    default Object decode(Type type, byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (type == byte[].class) {
            return bytes;
        }
        if (type == ByteBuffer.class) {
            return ByteBuffer.wrap(bytes);
        }
        ByteSource in = ByteSource.of(bytes);
        Object value = read(type, in);
        PassThrough.requireFullyRead(in, type);
        return value;
    }

    /** Encodes an argument list in one buffer; see {@link #forArguments} to do it repeatedly. */
    default byte[] encodeAll(Type[] types, Object... values) {
        return forArguments(types).encode(values);
    }

    /** Decodes what {@link #encodeAll} produced for the same types. */
    default Object[] decodeAll(Type[] types, byte[] bytes) {
        return forArguments(types).decode(bytes);
    }

    /**
     * A reusable encoder for argument lists of these types. Implementations resolve each type
     * here, so an unsupported type fails now (at RPC registration) rather than on the first call.
     */
    default ArgumentsCodec forArguments(Type... types) {
        List<Type> list = List.of(types);
        Codec codec = this;
        return new ArgumentsCodec() {
            @Override
            public List<Type> types() {
                return list;
            }

            @Override
            public void write(Object[] values, ByteSink out) {
                PassThrough.checkArity(list, values);
                for (int i = 0; i < values.length; i++) {
                    codec.write(list.get(i), values[i], out);
                }
            }

            @Override
            public Object[] read(ByteSource in) {
                Object[] values = new Object[list.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = codec.read(list.get(i), in);
                }
                return values;
            }
        };
    }
}
