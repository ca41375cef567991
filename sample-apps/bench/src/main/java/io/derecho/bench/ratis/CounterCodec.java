package io.derecho.bench.ratis;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Wire format of the counter state machine's requests and replies (all big-endian).
 *
 * <pre>
 * request  = magic:int32 'RCNT' | version:int8 = 1 | op:int8 | body
 *   op 1 INCREMENT body = delta:int64 | padding (zero bytes up to the benchmark's argument size)
 *   op 2 GET       body = (nothing)
 * reply    = magic:int32 'RCNT' | version:int8 = 1 | op:int8 | body
 *   op 1 INCREMENT body = newValue:int64
 *   op 2 GET       body = value:int64 | index:int64 (log index of the last increment applied)
 * </pre>
 *
 * The padding lets one request stand for an RPC argument of a given size; the state machine
 * ignores its contents but the request travels and is logged whole. Every decoder rejects a wrong
 * magic, version, op or length with an {@link IllegalArgumentException} that says which.
 */
public final class CounterCodec {

  /** 'RCNT'. */
  public static final int MAGIC = 0x52434E54;

  public static final byte VERSION = 1;

  public static final byte OP_INCREMENT = 1;

  public static final byte OP_GET = 2;

  /** Bytes before the body. */
  public static final int HEADER = 4 + 1 + 1;

  /** Smallest increment request: header and delta, no padding. */
  public static final int MIN_INCREMENT_SIZE = HEADER + 8;

  /** The value a {@code GET} returns: the counter and the log index it reflects. */
  public record CounterState(long value, long index) {}

  private CounterCodec() {}

  /**
   * An increment request of exactly {@code size} bytes (at least {@link #MIN_INCREMENT_SIZE}).
   */
  public static byte[] increment(long delta, int size) {
    if (size < MIN_INCREMENT_SIZE) {
      throw new IllegalArgumentException(
          "increment size " + size + " < minimum " + MIN_INCREMENT_SIZE + " bytes");
    }
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.BIG_ENDIAN);
    header(b, OP_INCREMENT).putLong(delta);
    return b.array();
  }

  /** The read request. */
  public static byte[] get() {
    return header(ByteBuffer.allocate(HEADER), OP_GET).array();
  }

  /** The op of a request, after checking magic and version. */
  public static byte requestOp(ByteBuffer request) {
    return op(request.duplicate().order(ByteOrder.BIG_ENDIAN), "request");
  }

  /** The delta of an increment request. */
  public static long decodeIncrement(ByteBuffer request) {
    ByteBuffer b = request.duplicate().order(ByteOrder.BIG_ENDIAN);
    expectOp(b, OP_INCREMENT, "increment request");
    if (b.remaining() < 8) {
      throw new IllegalArgumentException(
          "increment request too short: " + (HEADER + b.remaining()) + " bytes, need at least "
              + MIN_INCREMENT_SIZE);
    }
    return b.getLong();
  }

  /** Checks that {@code request} is a well-formed GET. */
  public static void decodeGet(ByteBuffer request) {
    ByteBuffer b = request.duplicate().order(ByteOrder.BIG_ENDIAN);
    expectOp(b, OP_GET, "get request");
    if (b.hasRemaining()) {
      throw new IllegalArgumentException("get request has " + b.remaining() + " trailing bytes");
    }
  }

  public static byte[] incrementReply(long newValue) {
    return header(ByteBuffer.allocate(HEADER + 8), OP_INCREMENT).putLong(newValue).array();
  }

  public static long decodeIncrementReply(ByteBuffer reply) {
    ByteBuffer b = reply.duplicate().order(ByteOrder.BIG_ENDIAN);
    expectOp(b, OP_INCREMENT, "increment reply");
    expectRemaining(b, 8, "increment reply");
    return b.getLong();
  }

  public static byte[] getReply(CounterState state) {
    return header(ByteBuffer.allocate(HEADER + 16), OP_GET)
        .putLong(state.value())
        .putLong(state.index())
        .array();
  }

  public static CounterState decodeGetReply(ByteBuffer reply) {
    ByteBuffer b = reply.duplicate().order(ByteOrder.BIG_ENDIAN);
    expectOp(b, OP_GET, "get reply");
    expectRemaining(b, 16, "get reply");
    return new CounterState(b.getLong(), b.getLong());
  }

  private static ByteBuffer header(ByteBuffer b, byte op) {
    return b.order(ByteOrder.BIG_ENDIAN).putInt(MAGIC).put(VERSION).put(op);
  }

  private static void expectOp(ByteBuffer b, byte expected, String what) {
    byte op = op(b, what);
    if (op != expected) {
      throw new IllegalArgumentException(what + ": op " + op + ", expected " + expected);
    }
  }

  private static byte op(ByteBuffer b, String what) {
    if (b.remaining() < HEADER) {
      throw new IllegalArgumentException(
          what + " too short: " + b.remaining() + " bytes, header is " + HEADER);
    }
    int magic = b.getInt();
    if (magic != MAGIC) {
      throw new IllegalArgumentException(
          what + ": bad magic 0x" + Integer.toHexString(magic) + ", expected 0x"
              + Integer.toHexString(MAGIC));
    }
    byte version = b.get();
    if (version != VERSION) {
      throw new IllegalArgumentException(what + ": unsupported version " + version);
    }
    byte op = b.get();
    if (op != OP_INCREMENT && op != OP_GET) {
      throw new IllegalArgumentException(what + ": unknown op " + op);
    }
    return op;
  }

  private static void expectRemaining(ByteBuffer b, int n, String what) {
    if (b.remaining() != n) {
      throw new IllegalArgumentException(
          what + ": body is " + b.remaining() + " bytes, expected " + n);
    }
  }
}
