package io.derecho.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads what a {@link ByteSink} wrote, from a region of a byte array. Every read checks the
 * remaining bytes first, so truncated or corrupt input ends in a {@link CodecException} that names
 * the offset, never in an {@code IndexOutOfBoundsException} or an oversized allocation: a length
 * or count is checked against the bytes that remain before anything is allocated for it.
 */
public final class ByteSource {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** Nesting allowed through recursive types before input is declared malicious. */
    static final int MAX_DEPTH = 256;

    private final byte[] buf;
    private final int start;
    private final int limit;
    private int pos;
    private int depth;

    private ByteSource(byte[] buf, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buf.length);
        this.buf = buf;
        this.start = offset;
        this.pos = offset;
        this.limit = offset + length;
    }

    public static ByteSource of(byte[] bytes) {
        return new ByteSource(bytes, 0, bytes.length);
    }

    public static ByteSource of(byte[] bytes, int offset, int length) {
        return new ByteSource(bytes, offset, length);
    }

    /**
     * The buffer's remaining bytes; a heap buffer is read in place (decoded {@code ByteBuffer}
     * values then share its array), a direct one is copied once. Its position is not moved.
     */
    public static ByteSource of(ByteBuffer buffer) {
        if (buffer.hasArray() && !buffer.isReadOnly()) {
            return new ByteSource(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        }
        byte[] copy = new byte[buffer.remaining()];
        buffer.get(buffer.position(), copy);
        return of(copy);
    }

    /** Bytes not yet read. */
    public int remaining() {
        return limit - pos;
    }

    /** Bytes read so far. */
    public int position() {
        return pos - start;
    }

    public byte readByte() {
        require(1, "a byte");
        return buf[pos++];
    }

    public int readUnsignedByte() {
        return readByte() & 0xFF;
    }

    /** A byte that must be 0 or 1. */
    public boolean readBoolean() {
        int at = position();
        int b = readUnsignedByte();
        if (b > 1) {
            throw new CodecException("bad boolean byte " + b + " at offset " + at + ": expected 0 or 1");
        }
        return b == 1;
    }

    public short readShort() {
        require(2, "a short");
        short v = (short) SHORT.get(buf, pos);
        pos += 2;
        return v;
    }

    public char readChar() {
        require(2, "a char");
        char v = (char) (short) SHORT.get(buf, pos);
        pos += 2;
        return v;
    }

    public int readInt() {
        require(4, "an int");
        int v = (int) INT.get(buf, pos);
        pos += 4;
        return v;
    }

    public long readLong() {
        require(8, "a long");
        long v = (long) LONG.get(buf, pos);
        pos += 8;
        return v;
    }

    public float readFloat() {
        return Float.intBitsToFloat(readInt());
    }

    public double readDouble() {
        return Double.longBitsToDouble(readLong());
    }

    /** Unsigned LEB128 of at most 5 bytes that fits in 32 bits. */
    public int readVarInt() {
        int p = pos;
        if (p < limit) {
            byte b = buf[p];
            if (b >= 0) {
                pos = p + 1;
                return b;
            }
        }
        return readVarIntSlow();
    }

    private int readVarIntSlow() {
        int at = position();
        int result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (pos == limit) {
                throw truncated(1, "a varint", at);
            }
            int b = buf[pos++];
            if (shift == 28 && (b & 0xF0) != 0) {
                throw new CodecException("varint at offset " + at + " overflows 32 bits");
            }
            result |= (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new CodecException("varint at offset " + at + " overflows 32 bits");
    }

    /** Unsigned LEB128 of at most 10 bytes that fits in 64 bits. */
    public long readVarLong() {
        int at = position();
        long result = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (pos == limit) {
                throw truncated(1, "a varint", at);
            }
            long b = buf[pos++];
            if (shift == 63 && (b & 0xFE) != 0) {
                throw new CodecException("varint at offset " + at + " overflows 64 bits");
            }
            result |= (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new CodecException("varint at offset " + at + " overflows 64 bits");
    }

    public int readSignedVarInt() {
        int v = readVarInt();
        return (v >>> 1) ^ -(v & 1);
    }

    public long readSignedVarLong() {
        long v = readVarLong();
        return (v >>> 1) ^ -(v & 1);
    }

    /** The nullable string {@link ByteSink#writeString} wrote; malformed UTF-8 is rejected. */
    public String readString() {
        int n = readLength("string", 1);
        if (n < 0) {
            return null;
        }
        return readUtf8(n);
    }

    /** A copy of the next {@code n} bytes. */
    public byte[] readBytes(int n) {
        if (n < 0) {
            throw new CodecException("negative length " + n + " at offset " + position());
        }
        require(n, "a byte array");
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    /**
     * A nullable length prefix {@code varint(n + 1)} (0 for null, returned as -1), checked so that
     * {@code n} elements of at least {@code minElementSize} bytes fit in what remains.
     */
    int readLength(String what, int minElementSize) {
        int at = position();
        int v = readVarInt();
        if (v == 0) {
            return -1;
        }
        if (v < 0) {
            throw new CodecException(what + " length prefix " + Integer.toUnsignedString(v) + " at offset " + at
                    + " is out of range (a negative length)");
        }
        int n = v - 1;
        if ((long) n * minElementSize > remaining()) {
            throw new CodecException(what + " length " + n + " at offset " + at + " exceeds the " + remaining()
                    + " bytes that remain");
        }
        return n;
    }

    /** Whether the next {@code expected.length} bytes (already checked to be there) equal {@code expected}. */
    boolean nextBytesEqual(byte[] expected) {
        return Arrays.equals(buf, pos, pos + expected.length, expected, 0, expected.length);
    }

    void skip(int n) {
        pos += n;
    }

    /** The next {@code n} bytes (already checked to be there) as strict UTF-8. */
    String readUtf8(int n) {
        String s = Utf8.decode(buf, pos, n);
        pos += n;
        return s;
    }

    /** A view of the next {@code n} bytes (already checked to be there), sharing the array. */
    ByteBuffer readSlice(int n) {
        ByteBuffer view = ByteBuffer.wrap(buf, pos, n).slice();
        pos += n;
        return view;
    }

    /** The presence byte of a nullable value: false for null. */
    boolean readPresence() {
        int at = position();
        int b = readUnsignedByte();
        if (b > 1) {
            throw new CodecException("bad presence byte " + b + " at offset " + at + ": expected 0 (null) or 1");
        }
        return b == 1;
    }

    void enter() {
        if (++depth > MAX_DEPTH) {
            throw new CodecException("input nests recursive types deeper than " + MAX_DEPTH + " levels at offset " + position());
        }
    }

    void exit() {
        depth--;
    }

    int[] readInts(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = (int) INT.get(buf, pos);
            pos += 4;
        }
        return a;
    }

    long[] readLongs(int n) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = (long) LONG.get(buf, pos);
            pos += 8;
        }
        return a;
    }

    short[] readShorts(int n) {
        short[] a = new short[n];
        for (int i = 0; i < n; i++) {
            a[i] = (short) SHORT.get(buf, pos);
            pos += 2;
        }
        return a;
    }

    char[] readChars(int n) {
        char[] a = new char[n];
        for (int i = 0; i < n; i++) {
            a[i] = (char) (short) SHORT.get(buf, pos);
            pos += 2;
        }
        return a;
    }

    float[] readFloats(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = Float.intBitsToFloat((int) INT.get(buf, pos));
            pos += 4;
        }
        return a;
    }

    double[] readDoubles(int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = Double.longBitsToDouble((long) LONG.get(buf, pos));
            pos += 8;
        }
        return a;
    }

    private void require(int n, String what) {
        if (n > limit - pos) {
            throw truncated(n, what, position());
        }
    }

    private CodecException truncated(int n, String what, int at) {
        return new CodecException("truncated input: reading " + what + " at offset " + at + " needs " + n
                + " more bytes but " + (limit - pos) + " remain");
    }
}
