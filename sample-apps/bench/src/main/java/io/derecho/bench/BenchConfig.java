package io.derecho.bench;

import io.derecho.bench.launch.MemberArgs;
import java.time.Duration;
import java.util.Objects;

/**
 * One benchmark configuration, on Derecho's {@code bandwidth_test}/{@code latency_test} axes.
 *
 * @param nodes group size (number of member processes)
 * @param senders which members send (see {@link Senders} for the rule)
 * @param sizeBytes payload size of each message in bytes
 * @param messagesPerSender how many messages each sender sends (upper bound when {@code
 *     sendDuration} is set)
 * @param window max messages a sender may have outstanding (sent but not yet delivered back to
 *     itself); {@code 0} = no application-level window, only the system's own flow control
 * @param ordered true: totally ordered delivery (the digests of all members must agree); false:
 *     per-sender FIFO only
 * @param timeout hard limit for the whole run of one system in this configuration (launch,
 *     join, send, deliver, report); members are killed after it
 * @param sendDuration optional cap on sending time per sender; {@link Duration#ZERO} = send
 *     exactly {@code messagesPerSender}. When a sender stops early, receivers still know the
 *     exact count (senders announce it in an end marker)
 * @param warmupPerSender messages each sender sends in an unmeasured warm-up phase before the
 *     measured one (JIT, connections, buffers); 0 = none; see {@link #autoWarmup}
 */
public record BenchConfig(
    int nodes,
    Senders senders,
    int sizeBytes,
    long messagesPerSender,
    int window,
    boolean ordered,
    Duration timeout,
    Duration sendDuration,
    long warmupPerSender) {

  public BenchConfig {
    Objects.requireNonNull(senders, "senders");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(sendDuration, "sendDuration");
    if (nodes < 1) {
      throw new IllegalArgumentException("nodes must be >= 1");
    }
    if (sizeBytes < 1) {
      throw new IllegalArgumentException("size must be >= 1 byte");
    }
    if (messagesPerSender < 1) {
      throw new IllegalArgumentException("messages per sender must be >= 1");
    }
    if (window < 0) {
      throw new IllegalArgumentException("window must be >= 0");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be > 0");
    }
    if (sendDuration.isNegative()) {
      throw new IllegalArgumentException("send duration must be >= 0");
    }
    if (warmupPerSender < 0) {
      throw new IllegalArgumentException("warm-up must be >= 0");
    }
  }

  /**
   * Default warm-up per sender: {@code min(messagesPerSender, 5000, max(1, 64 MiB / size))},
   * i.e. 5000 messages of 1 KiB, 64 of 1 MiB.
   */
  public static long autoWarmup(int sizeBytes, long messagesPerSender) {
    return Math.min(messagesPerSender, Math.min(5000, Math.max(1, (64L << 20) / sizeBytes)));
  }

  /** Config without a send-time cap and with the {@link #autoWarmup} warm-up. */
  public BenchConfig(
      int nodes,
      Senders senders,
      int sizeBytes,
      long messagesPerSender,
      int window,
      boolean ordered,
      Duration timeout) {
    this(nodes, senders, sizeBytes, messagesPerSender, window, ordered, timeout, Duration.ZERO,
        autoWarmup(sizeBytes, messagesPerSender));
  }

  /** Number of sending members. */
  public int senderCount() {
    return senders.count(nodes);
  }

  /** Whether member {@code rank} sends. */
  public boolean isSender(int rank) {
    return senders.isSender(rank, nodes);
  }

  /** Messages every member should deliver when all senders send their full count. */
  public long expectedPerMember() {
    return messagesPerSender * senderCount();
  }

  public String mode() {
    return ordered ? "ordered" : "unordered";
  }

  /** Short human label, e.g. {@code n=3 senders=all size=1KiB window=16 ordered msgs/sender=20000}. */
  public String label() {
    return "n=" + nodes + " senders=" + senders.label() + " size=" + Sizes.format(sizeBytes)
        + " window=" + window + " " + mode() + " msgs/sender=" + messagesPerSender
        + (sendDuration.isZero() ? "" : " max-send=" + sendDuration.toSeconds() + "s")
        + (warmupPerSender == 0 ? "" : " warmup=" + warmupPerSender);
  }

  /** File-name friendly label, e.g. {@code n3-all-1KiB-w16-ord}. */
  public String fileLabel() {
    return "n" + nodes + "-" + senders.label() + "-" + Sizes.format(sizeBytes) + "-w" + window
        + "-" + (ordered ? "ord" : "unord");
  }

  public BenchConfig withNodes(int n) {
    return new BenchConfig(n, senders, sizeBytes, messagesPerSender, window, ordered, timeout,
        sendDuration, warmupPerSender);
  }

  public BenchConfig withSenders(Senders s) {
    return new BenchConfig(nodes, s, sizeBytes, messagesPerSender, window, ordered, timeout,
        sendDuration, warmupPerSender);
  }

  public BenchConfig withWindow(int w) {
    return new BenchConfig(nodes, senders, sizeBytes, messagesPerSender, w, ordered, timeout,
        sendDuration, warmupPerSender);
  }

  public BenchConfig withOrdered(boolean o) {
    return new BenchConfig(nodes, senders, sizeBytes, messagesPerSender, window, o, timeout,
        sendDuration, warmupPerSender);
  }

  public BenchConfig withWarmup(long w) {
    return new BenchConfig(nodes, senders, sizeBytes, messagesPerSender, window, ordered, timeout,
        sendDuration, w);
  }

  public BenchConfig withMessagesPerSender(long m) {
    return new BenchConfig(nodes, senders, sizeBytes, m, window, ordered, timeout, sendDuration,
        warmupPerSender);
  }

  /** Writes this config as member arguments ({@code cfg.*} keys). */
  public MemberArgs.Builder writeTo(MemberArgs.Builder b) {
    return b.put("cfg.nodes", nodes)
        .put("cfg.senders", senders.label())
        .put("cfg.size", sizeBytes)
        .put("cfg.messages", messagesPerSender)
        .put("cfg.window", window)
        .put("cfg.ordered", ordered)
        .putMillis("cfg.timeoutMs", timeout)
        .putMillis("cfg.sendMs", sendDuration)
        .put("cfg.warmup", warmupPerSender);
  }

  /** Reads a config written by {@link #writeTo}. */
  public static BenchConfig readFrom(MemberArgs a) {
    return new BenchConfig(
        a.getInt("cfg.nodes"),
        Senders.parse(a.get("cfg.senders")),
        a.getInt("cfg.size"),
        a.getLong("cfg.messages"),
        a.getInt("cfg.window"),
        a.getBoolean("cfg.ordered"),
        a.getMillis("cfg.timeoutMs"),
        a.getMillis("cfg.sendMs"),
        a.getLong("cfg.warmup"));
  }
}
