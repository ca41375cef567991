package io.derecho.bench.group;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one group member reports on its {@code RESULT} line (see {@link
 * io.derecho.bench.launch.MemberRuntime#result}); {@link GroupAggregator} folds these into a
 * {@link io.derecho.bench.RunResult}.
 *
 * @param system system name
 * @param rank member rank
 * @param sent DATA messages this member sent (0 for non-senders)
 * @param delivered DATA messages delivered (from all senders, own included)
 * @param bytes payload bytes of those messages
 * @param expected DATA messages expected (sum of the END counts seen; -1 if some END is missing)
 * @param firstNanos nanoTime of the first DATA delivery (0 if none)
 * @param lastNanos nanoTime of the last DATA delivery (0 if none)
 * @param fifoViolations deliveries whose seq was not the next one expected from that sender
 * @param digest {@link OrderDigest#hex()} over the DATA deliveries
 * @param histogram send-to-delivery latency (microseconds), {@link Latency#encode}; may be empty
 * @param complete all ENDs seen and nothing missing
 * @param note free text (errors, timeouts)
 */
public record MemberReport(
    String system,
    int rank,
    long sent,
    long delivered,
    long bytes,
    long expected,
    long firstNanos,
    long lastNanos,
    long fifoViolations,
    String digest,
    String histogram,
    boolean complete,
    String note) {

  public MemberReport {
    digest = digest == null ? "" : digest;
    histogram = histogram == null ? "" : histogram;
    note = note == null ? "" : note;
  }

  /** Seconds from first to last DATA delivery (0 when fewer than two deliveries). */
  public double seconds() {
    return lastNanos > firstNanos ? (lastNanos - firstNanos) / 1e9 : 0;
  }

  /** Delivered messages per second, NaN when not measurable. */
  public double msgsPerSec() {
    double s = seconds();
    // n deliveries span n-1 inter-delivery gaps
    return s > 0 && delivered > 1 ? (delivered - 1) / s : Double.NaN;
  }

  /** Delivered MB/s (10^6 bytes), NaN when not measurable. */
  public double mbPerSec() {
    double s = seconds();
    return s > 0 && delivered > 1 ? (bytes * (delivered - 1.0) / delivered) / s / 1e6 : Double.NaN;
  }

  /** Flat record for {@link io.derecho.bench.launch.MemberRuntime#result}. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("system", system);
    m.put("rank", rank);
    m.put("sent", sent);
    m.put("delivered", delivered);
    m.put("bytes", bytes);
    m.put("expected", expected);
    m.put("firstNanos", firstNanos);
    m.put("lastNanos", lastNanos);
    m.put("fifoViolations", fifoViolations);
    m.put("digest", digest);
    m.put("complete", complete);
    m.put("note", note);
    m.put("histogram", histogram);
    return m;
  }

  /** Parses a record written by {@link #toMap()}. */
  public static MemberReport fromMap(Map<String, Object> m) {
    return new MemberReport(
        str(m, "system"),
        (int) num(m, "rank"),
        num(m, "sent"),
        num(m, "delivered"),
        num(m, "bytes"),
        num(m, "expected"),
        num(m, "firstNanos"),
        num(m, "lastNanos"),
        num(m, "fifoViolations"),
        str(m, "digest"),
        str(m, "histogram"),
        Boolean.TRUE.equals(m.get("complete")),
        str(m, "note"));
  }

  private static long num(Map<String, Object> m, String k) {
    Object v = m.get(k);
    if (v instanceof Number n) {
      return n.longValue();
    }
    throw new IllegalArgumentException("RESULT lacks numeric field " + k);
  }

  private static String str(Map<String, Object> m, String k) {
    Object v = m.get(k);
    return v == null ? "" : v.toString();
  }
}
