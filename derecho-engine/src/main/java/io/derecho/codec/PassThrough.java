package io.derecho.codec;

import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Whole-message {@code byte[]} and {@code ByteBuffer} (the message is the value's bytes), and the
 * checks every whole-message decoder shares.
 */
final class PassThrough {
    private PassThrough() {
    }

    static byte[] encode(Type type, Object value) {
        if (value == null) {
            throw new CodecException("a null " + type.getTypeName() + " cannot be encoded as a whole message (its "
                    + "bytes are the message, with no room for a null marker); send an empty one, or an Optional");
        }
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        if (value instanceof ByteBuffer buffer) {
            if (buffer.hasArray() && !buffer.isReadOnly() && buffer.arrayOffset() == 0 && buffer.position() == 0
                    && buffer.remaining() == buffer.array().length) {
                return buffer.array();
            }
            byte[] copy = new byte[buffer.remaining()];
            buffer.get(buffer.position(), copy);
            return copy;
        }
        throw new CodecException("value of " + value.getClass().getName() + " does not match declared type "
                + type.getTypeName());
    }

    /** Throws unless every byte of {@code in} was consumed ({@code what} is only formatted then). */
    static void requireFullyRead(ByteSource in, Object what) {
        if (in.remaining() != 0) {
            String name = what instanceof Type t ? t.getTypeName() : "argument list " + what;
            throw new CodecException(in.remaining() + " bytes left over after decoding " + name + " from "
                    + (in.position() + in.remaining()) + " bytes");
        }
    }

    static void checkArity(List<Type> types, Object[] values) {
        if (values.length != types.size()) {
            throw new CodecException("expected " + types.size() + " values for " + types + ", got " + values.length);
        }
    }
}
