package io.derecho.bench;

/**
 * The outcome of one system in one configuration: one output line.
 *
 * <p>Throughput is aggregate delivered throughput as seen by a receiver: at each member, all
 * data messages it delivered (from every sender) divided by the time from its first to its last
 * delivery; then averaged over members. {@code MB = 10^6 bytes} (payload bytes only).
 *
 * @param system system name ({@code derecho}, {@code jgroups}, {@code tcp})
 * @param nodes processes that actually ran (the TCP pump always uses 2)
 * @param senders sender selector that actually ran
 * @param sizeBytes payload bytes per message
 * @param window window that actually ran (0 = none)
 * @param ordered whether total order was requested
 * @param messages data messages delivered per member (the minimum over members)
 * @param mbPerSec delivered MB/s (10^6 bytes), averaged over members
 * @param msgsPerSec delivered messages/s, averaged over members
 * @param p50Micros median send-to-delivery latency in microseconds, NaN when not measured
 * @param p99Micros 99th percentile latency in microseconds, NaN when not measured
 * @param orderDigest digest of the delivery order; equal on all members when total order held
 *     (for unordered runs: the digest of member 0, or "differs")
 * @param ok true when every member delivered every message, FIFO held, and (ordered) all
 *     digests agree, within the timeout
 * @param note free text: failures, caveats (e.g. how latency was measured)
 */
public record RunResult(
    String system,
    int nodes,
    Senders senders,
    int sizeBytes,
    int window,
    boolean ordered,
    long messages,
    double mbPerSec,
    double msgsPerSec,
    double p50Micros,
    double p99Micros,
    String orderDigest,
    boolean ok,
    String note) {

  public RunResult {
    orderDigest = orderDigest == null ? "" : orderDigest;
    note = note == null ? "" : note;
  }

  /** A failed run that produced no numbers. */
  public static RunResult failed(String system, BenchConfig cfg, String note) {
    return new RunResult(system, cfg.nodes(), cfg.senders(), cfg.sizeBytes(), cfg.window(),
        cfg.ordered(), 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, "", false, note);
  }

  public RunResult withNote(String newNote) {
    return new RunResult(system, nodes, senders, sizeBytes, window, ordered, messages, mbPerSec,
        msgsPerSec, p50Micros, p99Micros, orderDigest, ok, newNote);
  }

  public RunResult withOk(boolean newOk, String newNote) {
    return new RunResult(system, nodes, senders, sizeBytes, window, ordered, messages, mbPerSec,
        msgsPerSec, p50Micros, p99Micros, orderDigest, newOk, newNote);
  }
}
