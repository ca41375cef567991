package io.derecho.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A growable output buffer for encoders. Fixed-width numbers are big-endian; variable-length
 * integers are unsigned LEB128 (7 bits a byte, low group first), and the signed forms zig-zag
 * first so that small negative numbers stay short. Not thread-safe; reuse one per thread with
 * {@link #reset()}.
 */
public final class ByteSink {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** Arrays a little below Integer.MAX_VALUE are the largest every JVM allocates. */
    private static final int MAX_SIZE = Integer.MAX_VALUE - 16;

    private byte[] buf;
    private int pos;
    private int depth;

    public ByteSink() {
        this(64);
    }

    public ByteSink(int initialCapacity) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("initialCapacity = " + initialCapacity + ": must be >= 0");
        }
        buf = new byte[initialCapacity];
    }

    /** Bytes written since construction or the last {@link #reset()}. */
    public int size() {
        return pos;
    }

    /** Forgets what was written, keeping the allocated buffer. */
    public void reset() {
        pos = 0;
        depth = 0;
    }

    /** A copy of the bytes written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    /** The internal buffer (valid up to {@link #size()}); it is replaced when the sink grows. */
    public byte[] array() {
        return buf;
    }

    /** Capacity held; lets a caller drop a sink that grew too large to keep around. */
    int capacity() {
        return buf.length;
    }

    public void writeByte(int b) {
        if (pos == buf.length) {
            grow(1);
        }
        buf[pos++] = (byte) b;
    }

    public void writeBoolean(boolean v) {
        writeByte(v ? 1 : 0);
    }

    public void writeBytes(byte[] src) {
        writeBytes(src, 0, src.length);
    }

    public void writeBytes(byte[] src, int offset, int length) {
        ensure(length);
        System.arraycopy(src, offset, buf, pos, length);
        pos += length;
    }

    /** Writes the buffer's remaining bytes; its position is left unchanged. */
    public void writeBytes(ByteBuffer src) {
        int n = src.remaining();
        ensure(n);
        src.get(src.position(), buf, pos, n);
        pos += n;
    }

    public void writeShort(short v) {
        ensure(2);
        SHORT.set(buf, pos, v);
        pos += 2;
    }

    public void writeChar(char v) {
        writeShort((short) v);
    }

    public void writeInt(int v) {
        ensure(4);
        INT.set(buf, pos, v);
        pos += 4;
    }

    public void writeLong(long v) {
        ensure(8);
        LONG.set(buf, pos, v);
        pos += 8;
    }

    public void writeFloat(float v) {
        writeInt(Float.floatToRawIntBits(v));
    }

    public void writeDouble(double v) {
        writeLong(Double.doubleToRawLongBits(v));
    }

    /** Unsigned LEB128: 1 byte below 128, at most 5. */
    public void writeVarInt(int v) {
        if ((v & ~0x7F) == 0) {
            writeByte(v);
            return;
        }
        ensure(5);
        byte[] b = buf;
        int p = pos;
        while ((v & ~0x7F) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        pos = p;
    }

    /** Unsigned LEB128: 1 byte below 128, at most 10. */
    public void writeVarLong(long v) {
        if ((v & ~0x7FL) == 0) {
            writeByte((int) v);
            return;
        }
        ensure(10);
        byte[] b = buf;
        int p = pos;
        while ((v & ~0x7FL) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        pos = p;
    }

    /** Zig-zag then LEB128: -64..63 take one byte. */
    public void writeSignedVarInt(int v) {
        writeVarInt((v << 1) ^ (v >> 31));
    }

    /** Zig-zag then LEB128: -64..63 take one byte. */
    public void writeSignedVarLong(long v) {
        writeVarLong((v << 1) ^ (v >> 63));
    }

    /**
     * A nullable string: {@code varint(utf8Length + 1)} (0 for null), then UTF-8. Strings must be
     * valid Unicode: an unpaired surrogate is a {@link CodecException} rather than a silent '?'.
     */
    public void writeString(String s) {
        if (s == null) {
            writeByte(0);
            return;
        }
        int n = s.length();
        if (n > (MAX_SIZE - 5) / 3) {
            throw new CodecException("string of " + n + " chars is too long to encode");
        }
        int worst = 3 * n; // a surrogate pair is 2 chars and 4 bytes, so 3 bytes a char bounds UTF-8
        int headWorst = varIntSize(worst + 1);
        ensure(headWorst + worst);
        int start = pos;
        int bodyStart = start + headWorst;
        int end = Utf8.encode(s, buf, bodyStart);
        int length = end - bodyStart;
        int head = varIntSize(length + 1);
        if (head != headWorst) {
            System.arraycopy(buf, bodyStart, buf, start + head, length);
        }
        writeVarInt(length + 1);
        pos = start + head + length;
    }

    /** Guards recursive types against cyclic object graphs (a list that contains its owner). */
    void enter() {
        if (++depth > ByteSource.MAX_DEPTH) {
            throw new CodecException("value nests recursive types deeper than " + ByteSource.MAX_DEPTH
                    + " levels (is the object graph cyclic?)");
        }
    }

    void exit() {
        depth--;
    }

    static int varIntSize(int v) {
        return v == 0 ? 1 : (31 - Integer.numberOfLeadingZeros(v)) / 7 + 1;
    }

    void writeInts(int[] a) {
        ensureBulk(a.length, 4);
        for (int v : a) {
            INT.set(buf, pos, v);
            pos += 4;
        }
    }

    void writeLongs(long[] a) {
        ensureBulk(a.length, 8);
        for (long v : a) {
            LONG.set(buf, pos, v);
            pos += 8;
        }
    }

    void writeShorts(short[] a) {
        ensureBulk(a.length, 2);
        for (short v : a) {
            SHORT.set(buf, pos, v);
            pos += 2;
        }
    }

    void writeChars(char[] a) {
        ensureBulk(a.length, 2);
        for (char v : a) {
            SHORT.set(buf, pos, (short) v);
            pos += 2;
        }
    }

    void writeFloats(float[] a) {
        ensureBulk(a.length, 4);
        for (float v : a) {
            INT.set(buf, pos, Float.floatToRawIntBits(v));
            pos += 4;
        }
    }

    void writeDoubles(double[] a) {
        ensureBulk(a.length, 8);
        for (double v : a) {
            LONG.set(buf, pos, Double.doubleToRawLongBits(v));
            pos += 8;
        }
    }

    private void ensureBulk(int count, int width) {
        long n = (long) count * width;
        if (n > MAX_SIZE) {
            throw new CodecException("array of " + count + " elements is too large to encode");
        }
        ensure((int) n);
    }

    private void ensure(int n) {
        if (n > buf.length - pos) {
            grow(n);
        }
    }

    private void grow(int n) {
        long needed = (long) pos + n;
        if (needed > MAX_SIZE) {
            throw new CodecException("encoded value would exceed " + MAX_SIZE + " bytes");
        }
        long doubled = Math.max(16, 2L * buf.length);
        buf = Arrays.copyOf(buf, (int) Math.min(MAX_SIZE, Math.max(doubled, needed)));
    }
}
