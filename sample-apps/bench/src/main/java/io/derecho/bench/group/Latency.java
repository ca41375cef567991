package io.derecho.bench.group;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/** HdrHistogram helpers: microsecond latencies, shipped between processes as base64. */
public final class Latency {

  /** Highest trackable latency: one hour, in microseconds. */
  public static final long MAX_MICROS = 3_600_000_000L;

  private Latency() {}

  /** A histogram of microseconds, 3 significant digits. */
  public static Histogram newHistogram() {
    return new Histogram(1, MAX_MICROS, 3);
  }

  /** Records {@code nanos} (clamped to [1us, MAX_MICROS]). */
  public static void recordNanos(Histogram h, long nanos) {
    long us = nanos / 1000;
    h.recordValue(us < 1 ? 1 : Math.min(us, MAX_MICROS));
  }

  public static String encode(Histogram h) {
    ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int n = h.encodeIntoCompressedByteBuffer(buf);
    byte[] bytes = new byte[n];
    buf.flip();
    buf.get(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  public static Histogram decode(String base64) {
    try {
      return Histogram.decodeFromCompressedByteBuffer(
          ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("bad histogram", e);
    }
  }
}
