package io.derecho.bench.group;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Layout of a benchmark message (big-endian), shared by every group system:
 *
 * <pre>
 * offset 0   byte  kind      0 = DATA, 1 = END, 2 = WARMUP, 3 = WARMUP_END
 * offset 1   int   sender    rank of the sending member
 * offset 5   long  seq       DATA/WARMUP: 0,1,2... per sender; END/WARMUP_END: number sent
 * offset 13  long  sentNanos System.nanoTime() at send (comparable across processes on one Linux host)
 * offset 21  ...   padding up to the message size (DATA, WARMUP); END/WARMUP_END are 21 bytes
 * </pre>
 *
 * WARMUP messages (optional, before the measured phase) are not counted, timed or hashed.
 *
 * A sender sends its DATA messages and then one END; since delivery is FIFO per sender, a
 * receiver that has seen a sender's END knows exactly how many DATA messages to expect from it.
 */
public final class Payload {

  public static final byte DATA = 0;
  public static final byte END = 1;
  public static final byte WARMUP = 2;
  public static final byte WARMUP_END = 3;

  /** Bytes of header; the minimum message size. */
  public static final int HEADER = 21;

  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private Payload() {}

  /** A fresh DATA message of {@code size} bytes stamped with the current nanoTime. */
  public static byte[] data(int size, int sender, long seq) {
    return message(DATA, size, sender, seq);
  }

  /** The END marker announcing that {@code sender} sent {@code count} DATA messages. */
  public static byte[] end(int sender, long count) {
    return message(END, HEADER, sender, count);
  }

  /** A fresh message of the given kind and size stamped with the current nanoTime. */
  public static byte[] message(byte kind, int size, int sender, long seq) {
    if (size < HEADER) {
      throw new IllegalArgumentException("message size must be >= " + HEADER);
    }
    byte[] b = new byte[size];
    write(b, 0, kind, sender, seq, System.nanoTime());
    return b;
  }

  /** Writes a header into {@code buf} at {@code off} (for systems with their own send buffers). */
  public static void write(byte[] buf, int off, byte kind, int sender, long seq, long nanos) {
    buf[off] = kind;
    INT.set(buf, off + 1, sender);
    LONG.set(buf, off + 5, seq);
    LONG.set(buf, off + 13, nanos);
  }

  /** Writes a header at {@code dst}'s absolute index {@code at}; position is unchanged. */
  public static void write(ByteBuffer dst, int at, byte kind, int sender, long seq, long nanos) {
    ByteBuffer b = dst.duplicate().order(ByteOrder.BIG_ENDIAN);
    b.put(at, kind);
    b.putInt(at + 1, sender);
    b.putLong(at + 5, seq);
    b.putLong(at + 13, nanos);
  }

  public static byte kind(byte[] buf, int off) {
    return buf[off];
  }

  public static int sender(byte[] buf, int off) {
    return (int) INT.get(buf, off + 1);
  }

  public static long seq(byte[] buf, int off) {
    return (long) LONG.get(buf, off + 5);
  }

  public static long sentNanos(byte[] buf, int off) {
    return (long) LONG.get(buf, off + 13);
  }
}
