package io.derecho.bench.ratis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.ratis.conf.RaftProperties;

/**
 * The Ratis configuration of the benchmark: every setting that differs from the Ratis 3.3
 * default, with the reason, so a reader can judge whether the peer was run fairly.
 *
 * <p>The aim is what a Ratis expert would do for throughput with an in-memory state machine on
 * one machine, and nothing Ratis does not offer. Deliberately left at their defaults (and why):
 *
 * <ul>
 *   <li>Replication level MAJORITY ({@code AsyncApi.send(Message)}): a write is acknowledged once
 *       2 of 3 replicas logged it and the leader applied it, not after all three.
 *   <li>{@code raft.server.write.element-limit} 4096 and {@code .byte-limit} 64MB: pending writes
 *       at the leader; far above the 128 requests in flight here.
 *   <li>{@code raft.server.log.appender.buffer.element-limit} 0 (unbounded) and {@code
 *       .byte-limit} 4MB: one AppendEntries carries every entry waiting for a follower, up to
 *       4MB, more than 128 x 10KiB.
 *   <li>{@code raft.server.log.appender.wait-time.min} 1ms: at most one AppendEntries per
 *       follower per millisecond, which batches under load and adds nothing at one in flight
 *       (a round trip takes longer).
 *   <li>{@code raft.grpc.server.leader.outstanding.appends.max} 8: AppendEntries pipelined per
 *       follower; each already carries a whole batch.
 *   <li>{@code raft.server.log.force.sync.num} 128: the log worker already groups every write in
 *       its queue into one flush (group commit); with unsafe-flush below it no longer gates
 *       commits.
 *   <li>{@code raft.server.snapshot.auto.trigger.enabled} false: no snapshots while measuring.
 * </ul>
 */
public final class RatisSettings {

  /** The RPC implementation Ratis uses between servers and from the client. */
  public enum Transport {
    GRPC,
    NETTY;

    public static Transport parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("transport must be grpc or netty, got '" + s + "'");
      }
    }
  }

  /** One non-default setting and why it is set. */
  public record Setting(String key, String value, String why) {}

  /** The smallest client window Ratis gets, whatever the number of callers. */
  static final int MIN_CLIENT_OUTSTANDING = 1024;

  private RatisSettings() {}

  /** Tuning shared by every server (addresses and directories come on top). */
  public static List<Setting> serverTuning(Transport transport) {
    List<Setting> s = new ArrayList<>();
    s.add(new Setting("raft.rpc.type", transport.name(),
        "the RPC implementation; GRPC is the Ratis default (and what Apache Ozone runs), NETTY"
            + " the lighter alternative; the benchmark runs both by default"));
    s.add(new Setting("raft.server.log.unsafe-flush.enabled", "true",
        "no fsync on the commit path: an entry counts as flushed once written to the log file,"
            + " FileChannel.force runs in the background (the log is on tmpfs anyway; the peer"
            + " under test keeps its state in memory too)"));
    s.add(new Setting("raft.server.log.log-metadata.enabled", "false",
        "no extra metadata entry (the commit index, for restart recovery) appended and"
            + " replicated after each commit advance; nothing is restarted here"));
    s.add(new Setting("raft.server.snapshot.trigger-when-stop.enabled", "false",
        "no snapshot on shutdown; servers are stopped after the measurement"));
    s.add(new Setting("raft.server.rpc.timeout.min", "1000ms",
        "election timeout up from 150ms: 3 servers and a client share 2 cores, so a GC pause"
            + " or a busy scheduler must not start an election mid-run"));
    s.add(new Setting("raft.server.rpc.timeout.max", "2000ms", "(see timeout.min; default 300ms)"));
    s.add(new Setting("raft.server.rpc.first-election.timeout.min", "150ms",
        "the first election stays as quick as the default"));
    s.add(new Setting("raft.server.rpc.first-election.timeout.max", "300ms",
        "(see first-election.timeout.min)"));
    if (transport == Transport.GRPC) {
      s.add(new Setting("raft.grpc.flow.control.window", "8MB",
          "HTTP/2 window up from 1MB so one AppendEntries batch (up to the appender's 4MB) or 128"
              + " x 10KiB requests never wait for a window update"));
    }
    return s;
  }

  /** Client tuning for up to {@code maxInFlight} outstanding requests. */
  public static List<Setting> clientTuning(Transport transport, int maxInFlight) {
    List<Setting> s = new ArrayList<>();
    s.add(new Setting("raft.rpc.type", transport.name(), "same transport as the servers"));
    s.add(new Setting("raft.client.async.outstanding-requests.max",
        String.valueOf(Math.max(MIN_CLIENT_OUTSTANDING, maxInFlight)),
        "default 100 would cap (and block) the 128-caller runs; the callers, not Ratis, set the"
            + " concurrency"));
    s.add(new Setting("raft.client.rpc.request.timeout", "10s",
        "up from 3s so a slow reply under full load is waited for rather than retried"));
    if (transport == Transport.GRPC) {
      s.add(new Setting("raft.grpc.flow.control.window", "8MB", "(as on the servers)"));
    }
    return s;
  }

  /**
   * Properties of one server: its storage directory, loopback address and port, the tuning, then
   * {@code overrides} (raw Ratis keys, e.g. from {@code --ratis-opt}).
   */
  public static RaftProperties serverProperties(
      Transport transport, Path storageDir, String host, int port, Map<String, String> overrides) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("raft.server.storage.dir", storageDir.toAbsolutePath().toString());
    if (transport == Transport.GRPC) {
      m.put("raft.grpc.server.host", host);
      m.put("raft.grpc.server.port", String.valueOf(port));
    } else {
      m.put("raft.netty.server.host", host);
      m.put("raft.netty.server.port", String.valueOf(port));
    }
    serverTuning(transport).forEach(x -> m.put(x.key(), x.value()));
    m.putAll(overrides);
    return toProperties(m);
  }

  /** Properties of the benchmark's client, then {@code overrides}. */
  public static RaftProperties clientProperties(
      Transport transport, int maxInFlight, Map<String, String> overrides) {
    Map<String, String> m = new LinkedHashMap<>();
    clientTuning(transport, maxInFlight).forEach(x -> m.put(x.key(), x.value()));
    m.putAll(overrides);
    return toProperties(m);
  }

  /** Parses {@code KEY=VALUE} words; every key must be a Ratis key ({@code raft.}...). */
  public static Map<String, String> parseOverrides(List<String> keyValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String kv : keyValues) {
      int eq = kv.indexOf('=');
      if (eq <= 0 || !kv.startsWith("raft.")) {
        throw new IllegalArgumentException("--ratis-opt needs raft.KEY=VALUE, got '" + kv + "'");
      }
      m.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return m;
  }

  private static RaftProperties toProperties(Map<String, String> m) {
    RaftProperties p = new RaftProperties();
    m.forEach(p::set);
    return p;
  }
}
