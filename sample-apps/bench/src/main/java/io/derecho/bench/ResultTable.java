package io.derecho.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Text and markdown rendering of results, and the cross-system ratios. */
public final class ResultTable {

  /** A result together with the configuration it was requested for. */
  public record Row(BenchConfig requested, RunResult result) {}

  private static final String FMT =
      "%-8s %5s %-7s %7s %6s %-9s %10s %10s %12s %9s %9s %-4s %s";

  private ResultTable() {}

  public static String header() {
    return String.format(Locale.ROOT, FMT, "system", "nodes", "senders", "size", "window", "mode",
        "msgs", "MB/s", "msgs/s", "p50(us)", "p99(us)", "ok", "note");
  }

  public static String line(RunResult r) {
    return String.format(Locale.ROOT, FMT,
        r.system(),
        r.nodes(),
        r.senders().label(),
        Sizes.format(r.sizeBytes()),
        r.window(),
        r.ordered() ? "ordered" : "unordered",
        r.messages(),
        num(r.mbPerSec(), 1),
        num(r.msgsPerSec(), 0),
        num(r.p50Micros(), 0),
        num(r.p99Micros(), 0),
        r.ok() ? "ok" : "FAIL",
        r.note()).stripTrailing();
  }

  /** Two lines per distinct requested configuration: its label, then the ratios (n/a where missing). */
  public static List<String> ratioLines(List<Row> rows) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<BenchConfig, Map<String, RunResult>> e : byConfig(rows).entrySet()) {
      Ratios q = Ratios.of(e.getValue());
      out.add(e.getKey().label());
      out.add(String.format(Locale.ROOT,
          "    derecho/jgroups msgs/s = %-6s derecho MB/s / (tcp MB/s / 2) = %-6s"
              + " jgroups MB/s / (tcp MB/s / 2) = %s",
          ratio(q.derechoOverJgroupsMsgs()), ratio(q.derechoOverHalfTcp()),
          ratio(q.jgroupsOverHalfTcp())));
    }
    return out;
  }

  /**
   * Ratios for one configuration.
   *
   * @param derechoOverJgroupsMsgs derecho msgs/s divided by jgroups msgs/s
   * @param derechoOverHalfTcp derecho MB/s divided by (tcp pump MB/s / 2)
   * @param jgroupsOverHalfTcp jgroups MB/s divided by (tcp pump MB/s / 2)
   */
  public record Ratios(
      double derechoOverJgroupsMsgs, double derechoOverHalfTcp, double jgroupsOverHalfTcp) {
    static Ratios of(Map<String, RunResult> bySystem) {
      RunResult d = bySystem.get(BenchSystems.DERECHO);
      RunResult j = bySystem.get("jgroups");
      RunResult t = bySystem.get("tcp");
      return new Ratios(
          d != null && j != null ? d.msgsPerSec() / j.msgsPerSec() : Double.NaN,
          d != null && t != null ? d.mbPerSec() / (t.mbPerSec() / 2) : Double.NaN,
          j != null && t != null ? j.mbPerSec() / (t.mbPerSec() / 2) : Double.NaN);
    }
  }

  public static Map<BenchConfig, Map<String, RunResult>> byConfig(List<Row> rows) {
    Map<BenchConfig, Map<String, RunResult>> m = new LinkedHashMap<>();
    for (Row r : rows) {
      m.computeIfAbsent(r.requested(), k -> new LinkedHashMap<>())
          .put(r.result().system(), r.result());
    }
    return m;
  }

  /** Markdown results table plus a ratios table. */
  public static String markdown(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("| system | nodes | senders | size | window | mode | msgs | MB/s | msgs/s |"
        + " p50 (us) | p99 (us) | ok | note |\n");
    sb.append("|---|---:|---|---:|---:|---|---:|---:|---:|---:|---:|---|---|\n");
    for (Row row : rows) {
      RunResult r = row.result();
      sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %d | %s | %d | %s | %s | %s | %s | %s | %s |\n",
          r.system(), r.nodes(), r.senders().label(), Sizes.format(r.sizeBytes()), r.window(),
          r.ordered() ? "ordered" : "unordered", r.messages(), num(r.mbPerSec(), 1),
          num(r.msgsPerSec(), 0), num(r.p50Micros(), 0), num(r.p99Micros(), 0),
          r.ok() ? "ok" : "FAIL", r.note().replace("|", "\\|")));
    }
    sb.append("\n| configuration | derecho/jgroups msgs/s | derecho MB/s ÷ (tcp MB/s / 2) |"
        + " jgroups MB/s ÷ (tcp MB/s / 2) |\n|---|---:|---:|---:|\n");
    for (Map.Entry<BenchConfig, Map<String, RunResult>> e : byConfig(rows).entrySet()) {
      Ratios q = Ratios.of(e.getValue());
      sb.append("| ").append(e.getKey().label()).append(" | ")
          .append(ratio(q.derechoOverJgroupsMsgs())).append(" | ")
          .append(ratio(q.derechoOverHalfTcp())).append(" | ")
          .append(ratio(q.jgroupsOverHalfTcp())).append(" |\n");
    }
    return sb.toString();
  }

  static String num(double v, int decimals) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "-";
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  static String ratio(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
  }
}
