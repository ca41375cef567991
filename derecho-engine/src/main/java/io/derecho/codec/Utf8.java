package io.derecho.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8. The JDK's {@code String.getBytes} and {@code new String(bytes)} replace bad input
 * with '?' or U+FFFD, which would turn a corrupt message into a silently different string; here
 * both directions reject it instead.
 */
final class Utf8 {
    private Utf8() {
    }

    /** Writes {@code s} at {@code offset} (room for 3 bytes a char is assumed) and returns the end. */
    static int encode(String s, byte[] b, int offset) {
        int p = offset;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b[p++] = (byte) c;
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                char low;
                if (!Character.isHighSurrogate(c) || i + 1 == n || !Character.isLowSurrogate(low = s.charAt(i + 1))) {
                    throw new CodecException("string has an unpaired surrogate U+" + Integer.toHexString(c).toUpperCase()
                            + " at index " + i + "; only valid Unicode strings can be encoded");
                }
                int cp = Character.toCodePoint(c, low);
                i++;
                b[p++] = (byte) (0xF0 | (cp >> 18));
                b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return p;
    }

    /** Decodes {@code length} bytes at {@code offset}; malformed UTF-8 is a {@link CodecException}. */
    static String decode(byte[] b, int offset, int length) {
        String s = new String(b, offset, length, StandardCharsets.UTF_8);
        // The fast JDK decoder substitutes U+FFFD for bad bytes; only then is a strict pass needed
        // (a genuine U+FFFD in the text passes it).
        if (s.indexOf('\uFFFD') >= 0) {
            try {
                StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(b, offset, length));
            } catch (CharacterCodingException e) {
                throw new CodecException("malformed UTF-8 in a string of " + length + " bytes at offset " + offset, e);
            }
        }
        return s;
    }
}
