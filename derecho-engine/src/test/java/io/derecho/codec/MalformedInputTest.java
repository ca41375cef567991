package io.derecho.codec;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.derecho.codec.Samples.Kind;
import io.derecho.codec.Samples.Node;
import io.derecho.codec.Samples.Point;
import io.derecho.codec.Samples.PutRequest;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** Each kind of bad input ends in a CodecException that says what was wrong. */
class MalformedInputTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    private final BinaryCodec codec = BinaryCodec.create();

    private AbstractThrowableAssert<?, ? extends Throwable> decoding(Type type, String hex) {
        return decoding(type, HEX.parseHex(hex));
    }

    private AbstractThrowableAssert<?, ? extends Throwable> decoding(Type type, byte[] bytes) {
        return assertThatThrownBy(() -> codec.decode(type, bytes)).isInstanceOf(CodecException.class);
    }

    @Test
    void truncatedInput() {
        byte[] wire = codec.encode(PutRequest.class, new PutRequest("k", 5L, new byte[] {1, 2}, List.of("a"), Kind.PUT));
        decoding(PutRequest.class, Arrays.copyOf(wire, wire.length - 1))
                .hasMessageContaining("exceeds the 2 bytes that remain")
                .hasMessageContaining("in PutRequest.kind");
        decoding(PutRequest.class, Arrays.copyOf(wire, 3))
                .hasMessageContaining("truncated input: reading a varint at offset 3")
                .hasMessageContaining("in PutRequest.version");
        decoding(long.class, "ff ff").hasMessageContaining("truncated input");
        decoding(Point.class, "").hasMessageContaining("truncated input: reading a byte at offset 0");
    }

    @Test
    void lengthsLargerThanTheRemainingBytes() {
        decoding(String.class, "10 61 62").hasMessageContaining("string length 15 at offset 0 exceeds the 2 bytes that remain");
        decoding(long[].class, "03 00 00 00 00 00 00 00 00").hasMessageContaining("long[] length 2");
        // A claimed size of about 2^31 elements is refused before anything is allocated for it.
        decoding(new TypeRef<List<String>>() {}.type(), "ff ff ff ff 07 00").hasMessageContaining("List size length 2147483646");
        decoding(new TypeRef<Map<String, String>>() {}.type(), "03 00 00").hasMessageContaining("Map size length 2");
    }

    @Test
    void negativeLengths() {
        decoding(String.class, "ff ff ff ff 0f").hasMessageContaining("string length prefix 4294967295 at offset 0 is out of range");
        decoding(byte[][].class, "80 80 80 80 08").hasMessageContaining("out of range (a negative length)");
        assertThatThrownBy(() -> ByteSource.of(new byte[4]).readBytes(-1))
                .isInstanceOf(CodecException.class).hasMessageContaining("negative length -1");
    }

    @Test
    void unknownEnumName() {
        decoding(Kind.class, "04 46 4f 4f")
                .hasMessageContaining("unknown constant 'FOO' of enum io.derecho.codec.Samples$Kind")
                .hasMessageContaining("[PUT, DELETE, CAS]");
    }

    @Test
    void bytesLeftOver() {
        decoding(int.class, "02 00").hasMessageContaining("1 bytes left over after decoding int from 2 bytes");
        Type[] types = {String.class};
        assertThatThrownBy(() -> codec.decodeAll(types, HEX.parseHex("02 61 00 00")))
                .isInstanceOf(CodecException.class).hasMessageContaining("2 bytes left over");
    }

    @Test
    void badMarkerBytes() {
        decoding(Point.class, "02 00 00").hasMessageContaining("bad presence byte 2 at offset 0");
        decoding(boolean.class, "07").hasMessageContaining("bad boolean byte 7 at offset 0");
        decoding(Void.class, "01").hasMessageContaining("Void is always null");
    }

    @Test
    void malformedUtf8() {
        decoding(String.class, "03 c3 28").hasMessageContaining("malformed UTF-8");
        decoding(String.class, "03 c0 80").hasMessageContaining("malformed UTF-8"); // overlong NUL
        decoding(String.class, "04 ed a0 80").hasMessageContaining("malformed UTF-8"); // encoded surrogate
    }

    @Test
    void duplicateSetElementsAndMapKeys() {
        decoding(new TypeRef<Set<String>>() {}.type(), "03 02 61 02 61").hasMessageContaining("duplicate element in a Set");
        decoding(new TypeRef<Map<String, Integer>>() {}.type(), "03 02 61 00 02 61 00").hasMessageContaining("duplicate key");
    }

    @Test
    void overlongVarints() {
        decoding(int.class, "ff ff ff ff 1f").hasMessageContaining("varint at offset 0 overflows 32 bits");
        decoding(int.class, "ff ff ff ff ff 01").hasMessageContaining("overflows 32 bits");
        decoding(long.class, "ff ff ff ff ff ff ff ff ff 02").hasMessageContaining("overflows 64 bits");
    }

    @Test
    void outOfRangeValues() {
        decoding(Instant.class, "01 00 80 94 eb dc 03").hasMessageContaining("nanosecond field 1000000000");
        decoding(Instant.class, "01 fe ff ff ff ff ff ff ff ff 01 00").hasMessageContaining("Instant at offset 1 is out of range");
        decoding(BigInteger.class, "01").hasMessageContaining("empty BigInteger");
        decoding(BigDecimal.class, "01 00 00").hasMessageContaining("null unscaled value");
    }

    @Test
    void deepNestingOfARecursiveTypeIsRefusedBeforeTheStackRunsOut() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < 100_000; i++) {
            bytes.writeBytes(HEX.parseHex("01 00 02")); // a Node, null name, one child...
        }
        bytes.writeBytes(HEX.parseHex("01 00 00"));
        decoding(Node.class, bytes.toByteArray()).hasMessageContaining("deeper than " + ByteSource.MAX_DEPTH + " levels");
    }
}
