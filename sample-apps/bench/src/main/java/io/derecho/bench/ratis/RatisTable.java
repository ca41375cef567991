package io.derecho.bench.ratis;

import io.derecho.bench.Sizes;
import java.util.List;
import java.util.Locale;

/**
 * Text and markdown rendering of the Ratis runs, in the layout of {@link
 * io.derecho.bench.ResultTable}: writes = increments acknowledged in the measured window, MB =
 * 10^6 bytes of increment requests, latency = send to acknowledgement at the client.
 */
public final class RatisTable {

  private static final String FMT =
      "%-8s %5s %-9s %7s %7s %10s %10s %8s %9s %9s %-4s %s";

  private RatisTable() {}

  public static String header() {
    return String.format(Locale.ROOT, FMT, "system", "nodes", "transport", "callers", "size",
        "writes", "writes/s", "MB/s", "p50(us)", "p99(us)", "ok", "note");
  }

  public static String line(int nodes, RatisSettings.Transport transport, RatisBenchmark.Row r) {
    RatisLoad.Outcome o = r.outcome();
    return String.format(Locale.ROOT, FMT, "ratis", nodes,
        transport.name().toLowerCase(Locale.ROOT), o.callers(), Sizes.format(o.sizeBytes()),
        o.writes(), num(o.writesPerSec(), 0), num(o.mbPerSec(), 2), num(o.p50Micros(), 0),
        num(o.p99Micros(), 0), r.ok() ? "ok" : "FAIL", r.note()).stripTrailing();
  }

  /** One row with the cluster it came from. */
  public record Entry(int nodes, RatisSettings.Transport transport, RatisBenchmark.Row row) {}

  public static String markdown(List<Entry> entries) {
    StringBuilder sb = new StringBuilder();
    sb.append("| system | nodes | transport | callers | size | writes | writes/s | MB/s |"
        + " p50 (us) | p99 (us) | ok | note |\n");
    sb.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
    for (Entry e : entries) {
      RatisBenchmark.Row r = e.row();
      RatisLoad.Outcome o = r.outcome();
      sb.append(String.format(Locale.ROOT,
          "| ratis | %d | %s | %d | %s | %d | %s | %s | %s | %s | %s | %s |\n", e.nodes(),
          e.transport().name().toLowerCase(Locale.ROOT), o.callers(),
          Sizes.format(o.sizeBytes()), o.writes(), num(o.writesPerSec(), 0),
          num(o.mbPerSec(), 2), num(o.p50Micros(), 0), num(o.p99Micros(), 0),
          r.ok() ? "ok" : "FAIL", r.note().replace("|", "\\|")));
    }
    return sb.toString();
  }

  static String num(double v, int decimals) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "-";
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}
