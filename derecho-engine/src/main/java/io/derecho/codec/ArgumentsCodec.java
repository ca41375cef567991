package io.derecho.codec;

import java.lang.reflect.Type;
import java.util.List;

/**
 * Encodes an argument list of fixed generic types (a method's {@code getGenericParameterTypes()})
 * into one buffer, each value after the other with no per-argument header beyond what its type
 * needs. Obtain one per method, once, from {@link Codec#forArguments}; it is thread-safe.
 */
public interface ArgumentsCodec {
    /** The argument types, in order. */
    List<Type> types();

    /** Appends the values; their number must match {@link #types()}. */
    void write(Object[] values, ByteSink out);

    /** Reads one argument list, leaving {@code in} after its last byte. */
    Object[] read(ByteSource in);

    default byte[] encode(Object... values) {
        ByteSink out = new ByteSink();
        write(values, out);
        return out.toByteArray();
    }

    /** Decodes a whole buffer; bytes left over after the last argument are a {@link CodecException}. */
    default Object[] decode(byte[] bytes) {
        ByteSource in = ByteSource.of(bytes);
        Object[] values = read(in);
        PassThrough.requireFullyRead(in, types());
        return values;
    }
}
