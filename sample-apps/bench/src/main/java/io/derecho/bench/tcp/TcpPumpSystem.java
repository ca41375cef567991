package io.derecho.bench.tcp;

import io.derecho.bench.BenchConfig;
import io.derecho.bench.BenchSystem;
import io.derecho.bench.RunResult;
import io.derecho.bench.Senders;
import io.derecho.bench.group.Latency;
import io.derecho.bench.launch.LaunchedProcess;
import io.derecho.bench.launch.MemberArgs;
import io.derecho.bench.launch.Ports;
import io.derecho.bench.launch.ProcessLauncher;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * The physical reference: two processes, one writing {@code size}-byte chunks to the other over
 * one loopback TCP connection (java.nio, direct buffers, one write per chunk). Always 2 processes
 * and one sender, no window; the other axes of the configuration are ignored.
 *
 * <p>Amount: the source sends {@code messagesPerSender} chunks but keeps going for at least
 * {@link #MIN_SEND} (small chunk counts finish too fast to time) and stops after {@code
 * sendDuration} if set, else after {@link #MAX_SEND}. Throughput is measured at the sink from its
 * first to its last read. Latency is measured separately afterwards: half the round trip of
 * {@value TcpPumpMember#PING_SIZE}-byte ping-pongs with TCP_NODELAY.
 */
public final class TcpPumpSystem implements BenchSystem {

  public static final String NAME = "tcp";
  public static final Duration MIN_SEND = Duration.ofSeconds(2);
  public static final Duration MAX_SEND = Duration.ofSeconds(5);
  public static final int PINGS = 20_000;

  private final int socketBuffer;

  /** OS default socket buffers (Linux autotuning). */
  public TcpPumpSystem() {
    this(0);
  }

  /** @param socketBuffer SO_SNDBUF/SO_RCVBUF in bytes, 0 = OS default (autotuning) */
  public TcpPumpSystem(int socketBuffer) {
    this.socketBuffer = socketBuffer;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public BenchConfig effectiveConfig(BenchConfig c) {
    return new BenchConfig(2, Senders.ONE, c.sizeBytes(), c.messagesPerSender(), 0, true,
        c.timeout(), c.sendDuration(), 0);
  }

  @Override
  public String unsupported(BenchConfig cfg) {
    return cfg.sizeBytes() < 8 ? "chunk size must be >= 8 bytes (sequence number)" : null;
  }

  @Override
  public RunResult run(BenchConfig requested, ProcessLauncher launcher) throws Exception {
    BenchConfig cfg = effectiveConfig(requested);
    String why = unsupported(cfg);
    if (why != null) {
      return RunResult.failed(NAME, cfg, why);
    }
    Duration maxSend = cfg.sendDuration().isZero() ? MAX_SEND : cfg.sendDuration();
    Duration minSend = maxSend.compareTo(MIN_SEND) < 0 ? maxSend : MIN_SEND;
    int port = Ports.freeTcpPort();
    Path dir = launcher.newRunSubDir(NAME + "-" + cfg.fileLabel());
    List<String> jvm = List.of("-Xms64m", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError",
        "-Djava.net.preferIPv4Stack=true");
    MemberArgs.Builder common = MemberArgs.builder()
        .put("port", port)
        .put("size", cfg.sizeBytes())
        .put("sockbuf", socketBuffer)
        .putMillis("timeoutMs", cfg.timeout());
    List<String> problems = new ArrayList<>();
    List<LaunchedProcess> procs = new ArrayList<>();
    Instant deadline = Instant.now().plus(cfg.timeout()).plusSeconds(15);
    LaunchedProcess sink;
    LaunchedProcess source = null;
    try {
      sink = launcher.launch("tcp-sink", dir, TcpPumpMember.class, jvm,
          copy(common).put("role", "sink").toArgs());
      procs.add(sink);
      if (!sink.awaitEvent("listening", Duration.ofSeconds(30))) {
        problems.add("sink not listening: " + sink.stderrTail(3));
      } else {
        source = launcher.launch("tcp-source", dir, TcpPumpMember.class, jvm,
            copy(common).put("role", "source")
                .put("chunks", cfg.messagesPerSender())
                .putMillis("minMs", minSend)
                .putMillis("maxMs", maxSend)
                .put("pings", PINGS)
                .toArgs());
        procs.add(source);
      }
      if (!launcher.awaitAll(procs, deadline)) {
        problems.add("TIMEOUT: pump killed");
      }
    } finally {
      launcher.kill(procs);
    }
    Optional<Map<String, Object>> s = sink.result();
    Optional<Map<String, Object>> src = source == null ? Optional.empty() : source.result();
    if (s.isEmpty()) {
      problems.add("sink gave no RESULT: " + sink.stderrTail(2));
    }
    if (src.isEmpty()) {
      problems.add("source gave no RESULT" + (source == null ? "" : ": " + source.stderrTail(2)));
    }
    double mbps = Double.NaN;
    double msgs = Double.NaN;
    long chunks = 0;
    String digest = "";
    boolean ok = problems.isEmpty();
    if (s.isPresent()) {
      Map<String, Object> m = s.get();
      chunks = num(m, "chunks");
      double secs = (num(m, "lastNanos") - num(m, "firstNanos")) / 1e9;
      if (secs > 0) {
        mbps = num(m, "bytes") / secs / 1e6;
        msgs = chunks / secs;
      }
      digest = String.valueOf(m.get("digest"));
      ok &= Boolean.TRUE.equals(m.get("ok"));
      if (num(m, "seqErrors") > 0) {
        problems.add(num(m, "seqErrors") + " sequence errors at the sink");
      }
      if (num(m, "partial") != 0) {
        problems.add("stream ended inside a chunk");
      }
    }
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    long pings = 0;
    if (src.isPresent()) {
      Map<String, Object> m = src.get();
      ok &= Boolean.TRUE.equals(m.get("ok"));
      if (!String.valueOf(m.get("digest")).equals(digest)) {
        ok = false;
        problems.add("sink digest " + digest + " != source digest " + m.get("digest"));
        digest = "differs(2)";
      }
      if (num(m, "sent") != chunks) {
        ok = false;
        problems.add("source sent " + num(m, "sent") + " chunks, sink got " + chunks);
      }
      Object h = m.get("histogram");
      if (h != null && !h.toString().isEmpty()) {
        Histogram hist = Latency.decode(h.toString());
        if (hist.getTotalCount() > 0) {
          p50 = hist.getValueAtPercentile(50);
          p99 = hist.getValueAtPercentile(99);
        }
      }
      pings = num(m, "pings");
      if (m.get("note") != null && !m.get("note").toString().isEmpty()) {
        problems.add(m.get("note").toString());
      }
    }
    if (s.isPresent() && s.get().get("note") != null && !s.get().get("note").toString().isEmpty()) {
      problems.add(s.get().get("note").toString());
    }
    List<String> notes = new ArrayList<>(problems);
    notes.add("latency = 1KiB ping-pong RTT/2 (" + pings + " round trips)");
    if (!ok) {
      notes.add("[logs: " + dir + "]");
    }
    return new RunResult(NAME, cfg.nodes(), cfg.senders(), cfg.sizeBytes(), cfg.window(),
        cfg.ordered(), chunks, mbps, msgs, p50, p99, digest, ok && problems.isEmpty(),
        String.join("; ", notes));
  }

  private static MemberArgs.Builder copy(MemberArgs.Builder b) {
    MemberArgs.Builder c = MemberArgs.builder();
    for (String kv : b.toArgs()) {
      int eq = kv.indexOf('=');
      c.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return c;
  }

  private static long num(Map<String, Object> m, String k) {
    Object v = m.get(k);
    return v instanceof Number n ? n.longValue() : 0;
  }
}
