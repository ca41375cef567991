package io.derecho.bench.group;

import io.derecho.bench.BenchConfig;
import io.derecho.bench.RunResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;

/** Folds the members' {@link MemberReport}s of one run into a {@link RunResult}. */
public final class GroupAggregator {

  private GroupAggregator() {}

  /**
   * Throughput: mean over members of each member's delivered MB/s and msgs/s (first to last
   * delivery). Latency: p50/p99 of the merged histograms of all members. {@code ok} requires a
   * report from every member, every member complete (all ENDs, nothing missing, FIFO), no
   * {@code problems}, and in ordered mode one common order digest.
   *
   * @param problems driver-side problems (timeouts, crashes) to fail the run with
   */
  public static RunResult aggregate(
      String system, BenchConfig cfg, List<MemberReport> reports, List<String> problems) {
    List<MemberReport> rs = new ArrayList<>(reports);
    rs.sort(Comparator.comparingInt(MemberReport::rank));
    List<String> notes = new ArrayList<>(problems);
    double mbSum = 0;
    double msgSum = 0;
    int measured = 0;
    long minDelivered = rs.isEmpty() ? 0 : Long.MAX_VALUE;
    boolean allComplete = true;
    Histogram merged = Latency.newHistogram();
    Set<String> digests = new LinkedHashSet<>();
    Map<String, List<Integer>> memberNotes = new LinkedHashMap<>();
    for (MemberReport r : rs) {
      minDelivered = Math.min(minDelivered, r.delivered());
      if (!Double.isNaN(r.msgsPerSec())) {
        mbSum += r.mbPerSec();
        msgSum += r.msgsPerSec();
        measured++;
      }
      allComplete &= r.complete();
      digests.add(r.digest());
      if (!r.histogram().isEmpty()) {
        try {
          merged.add(Latency.decode(r.histogram()));
        } catch (RuntimeException e) {
          notes.add("rank " + r.rank() + ": unreadable histogram");
        }
      }
      if (!r.note().isBlank()) {
        memberNotes.computeIfAbsent(r.note(), k -> new ArrayList<>()).add(r.rank());
      }
    }
    // identical notes from several members are printed once: "ranks 0,1,2: ..."
    memberNotes.forEach((text, ranks) -> notes.add((ranks.size() == 1 ? "rank " : "ranks ")
        + String.join(",", ranks.stream().map(String::valueOf).toList()) + ": " + text));
    if (rs.size() < cfg.nodes()) {
      notes.add((cfg.nodes() - rs.size()) + " of " + cfg.nodes() + " members sent no RESULT");
    }
    boolean digestsAgree = digests.size() == 1;
    if (cfg.ordered() && !rs.isEmpty() && !digestsAgree) {
      // Only meaningful when every member delivered everything; partial runs stop at
      // different points, so their digests differ anyway.
      notes.add(allComplete && rs.size() == cfg.nodes()
          ? "ORDER DIGESTS DIFFER across members: " + digests
          : "order digests not comparable (incomplete delivery)");
    }
    boolean ok =
        problems.isEmpty()
            && rs.size() == cfg.nodes()
            && allComplete
            && (!cfg.ordered() || digestsAgree);
    String digest =
        rs.isEmpty() ? "" : digestsAgree ? digests.iterator().next() : "differs(" + digests.size() + ")";
    double p50 = merged.getTotalCount() == 0 ? Double.NaN : merged.getValueAtPercentile(50);
    double p99 = merged.getTotalCount() == 0 ? Double.NaN : merged.getValueAtPercentile(99);
    return new RunResult(
        system,
        cfg.nodes(),
        cfg.senders(),
        cfg.sizeBytes(),
        cfg.window(),
        cfg.ordered(),
        minDelivered,
        measured == 0 ? Double.NaN : mbSum / measured,
        measured == 0 ? Double.NaN : msgSum / measured,
        p50,
        p99,
        digest,
        ok,
        String.join("; ", notes));
  }
}
