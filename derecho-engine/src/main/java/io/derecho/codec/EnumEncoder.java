package io.derecho.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An enum constant travels as its name (a nullable string). Names, unlike ordinals, survive
 * reordering and additions, and a renamed or removed constant fails loudly ("unknown constant")
 * instead of decoding as whichever constant took its place. Costs a few bytes more than an
 * ordinal; decoding compares bytes against the precomputed names and allocates nothing.
 */
final class EnumEncoder extends Encoder {
    private final Class<?> type;
    private final Object[] constants;
    private final byte[][] names;
    /** {@code varint(length + 1)} followed by the UTF-8 name, per ordinal. */
    private final byte[][] encoded;

    EnumEncoder(Class<?> type) {
        this.type = type;
        this.constants = type.getEnumConstants();
        this.names = new byte[constants.length][];
        this.encoded = new byte[constants.length][];
        for (Object c : constants) {
            Enum<?> e = (Enum<?>) c;
            ByteSink sink = new ByteSink();
            sink.writeString(e.name());
            encoded[e.ordinal()] = sink.toByteArray();
            names[e.ordinal()] = e.name().getBytes(StandardCharsets.UTF_8);
        }
    }

    @Override
    void write(ByteSink out, Object value) {
        if (value == null) {
            out.writeByte(0);
        } else {
            out.writeBytes(encoded[((Enum<?>) type.cast(value)).ordinal()]);
        }
    }

    @Override
    Object read(ByteSource in) {
        int at = in.position();
        int n = in.readLength("enum name", 1);
        if (n < 0) {
            return null;
        }
        for (int i = 0; i < names.length; i++) {
            byte[] name = names[i];
            if (name.length == n && in.nextBytesEqual(name)) {
                in.skip(n);
                return constants[i];
            }
        }
        String name = in.readUtf8(n);
        throw new CodecException("unknown constant '" + name + "' of enum " + type.getName() + " at offset " + at
                + " (known: " + Arrays.stream(constants).map(c -> ((Enum<?>) c).name()).toList()
                + "); was it renamed or removed on one side?");
    }
}
