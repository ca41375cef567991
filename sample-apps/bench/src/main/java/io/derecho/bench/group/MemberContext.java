package io.derecho.bench.group;

import io.derecho.bench.BenchConfig;
import io.derecho.bench.launch.MemberArgs;
import io.derecho.bench.launch.MemberRuntime;
import java.time.Duration;

/**
 * What a member knows about its run: its rank, the configuration, all its arguments (including
 * system-specific ones set by the driver, e.g. ports) and its deadlines.
 *
 * @param system system name
 * @param rank this member's rank, {@code 0..cfg.nodes()-1}
 * @param cfg the configuration
 * @param args every {@code key=value} argument, for system-specific keys
 * @param startNanos nanoTime when the member process started its main
 * @param softDeadlineNanos nanoTime by which the member stops waiting and reports (start +
 *     cfg.timeout)
 */
public record MemberContext(
    String system,
    int rank,
    BenchConfig cfg,
    MemberArgs args,
    long startNanos,
    long softDeadlineNanos) {

  /** Time left until the soft deadline (zero when passed). */
  public Duration remaining() {
    return Duration.ofNanos(Math.max(0, softDeadlineNanos - System.nanoTime()));
  }

  public boolean pastDeadline() {
    return System.nanoTime() - softDeadlineNanos > 0;
  }

  /** Prints {@code EVENT <name>} for the driver. */
  public void event(String name) {
    MemberRuntime.event(name);
  }

  /** Logs a line to this member's .out file. */
  public void log(String line) {
    MemberRuntime.log("[" + system + "-" + rank + "] " + line);
  }
}
