package io.derecho.bench;

import java.util.Locale;

/**
 * Which members send, following Derecho's {@code bandwidth_test} sender selector.
 *
 * <p>Rule (documented choice): with {@code n} members ranked {@code 0..n-1}, {@code ALL} makes
 * every member a sender, {@code HALF} makes {@code ceil(n/2)} members senders, {@code ONE}
 * exactly one. The senders are always the <em>highest</em> ranks ({@code n-k .. n-1}), so with
 * one sender the sender is rank {@code n-1}, as in Derecho's test, and not the member that
 * starts first (rank 0, which in JGroups becomes coordinator and sequencer).
 */
public enum Senders {
  ALL,
  HALF,
  ONE;

  /** Number of senders among {@code nodes} members. */
  public int count(int nodes) {
    return switch (this) {
      case ALL -> nodes;
      case HALF -> Math.max(1, (nodes + 1) / 2);
      case ONE -> 1;
    };
  }

  /** Whether the member of the given rank sends. */
  public boolean isSender(int rank, int nodes) {
    return rank >= nodes - count(nodes) && rank < nodes;
  }

  /** Lower-case name used on the command line and in output. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code all|half|one} (case-insensitive). */
  public static Senders parse(String s) {
    return valueOf(s.trim().toUpperCase(Locale.ROOT));
  }
}
