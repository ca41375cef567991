package io.derecho.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.derecho.codec.Samples.Kind;
import io.derecho.codec.Samples.PutRequest;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Pins the wire format: replicas running different builds must agree on it, so any change here
 * has to be deliberate (and versioned by the RPC layer).
 */
class BinaryCodecGoldenBytesTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    private final BinaryCodec codec = BinaryCodec.create();

    record Golden(boolean z, short s, char c, double x, UUID id, Instant at, Duration took, BigDecimal dec,
                  Optional<String> opt, Map<String, Integer> map, int[] ints, Set<Long> set) {
    }

    private void assertBytes(Type type, Object value, String hex) {
        byte[] wire = codec.encode(type, value);
        assertThat(HEX.formatHex(wire)).isEqualTo(hex);
        BinaryCodecTest.assertSameValue(codec.decode(type, HEX.parseHex(hex)), value);
    }

    @Test
    void putRequest() {
        assertBytes(PutRequest.class, new PutRequest("k", 5L, new byte[] {1, 2}, List.of("a"), Kind.PUT),
                // presence, "k", zig-zag 5, byte[2], list of 1 "a", enum by name
                "01 02 6b 0a 03 01 02 02 02 61 04 50 55 54");
    }

    @Test
    void varints() {
        assertBytes(int.class, 150, "ac 02");
        assertBytes(int.class, -1, "01");
        assertBytes(int.class, Integer.MIN_VALUE, "ff ff ff ff 0f");
        assertBytes(long.class, Long.MAX_VALUE, "fe ff ff ff ff ff ff ff ff 01");
        assertBytes(Integer.class, 1, "01 02");
        assertBytes(Integer.class, null, "00");
    }

    @Test
    void stringsAndEnums() {
        assertBytes(String.class, null, "00");
        assertBytes(String.class, "", "01");
        assertBytes(String.class, "héllo", "07 68 c3 a9 6c 6c 6f");
        assertBytes(String.class, "😀", "05 f0 9f 98 80");
        assertBytes(Kind.class, Kind.DELETE, "07 44 45 4c 45 54 45");
        assertBytes(Kind.class, null, "00");
    }

    @Test
    void everyOtherBuiltInInARecord() {
        Golden g = new Golden(true, (short) 0x1234, 'A', 1.0, new UUID(1, 2), Instant.ofEpochSecond(1, 5),
                Duration.ofSeconds(-1), new BigDecimal("1.5"), Optional.of("a"), Map.of("k", 3), new int[] {1, -1},
                Set.of(300L));
        assertBytes(Golden.class, g, String.join(" ",
                "01", // presence
                "01", // boolean
                "12 34", // short
                "00 41", // char
                "3f f0 00 00 00 00 00 00", // double
                "01 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 02", // UUID
                "01 02 05", // Instant: seconds zig-zag, nanos
                "01 01 00", // Duration -1 s
                "01 02 02 0f", // BigDecimal: scale zig-zag 1, unscaled 15
                "01 02 61", // Optional.of("a")
                "02 02 6b 01 06", // Map {"k": Integer 3}
                "03 00 00 00 01 ff ff ff ff", // int[] fixed width
                "02 01 d8 04")); // Set {Long 300}
    }

    @Test
    void argumentList() {
        Type[] types = {String.class, long.class, byte[].class};
        byte[] wire = codec.encodeAll(types, "k", -3L, new byte[] {7});
        assertThat(HEX.formatHex(wire)).isEqualTo("02 6b 05 02 07");
    }
}
