package io.derecho.bench.ratis;

import io.derecho.bench.launch.LaunchedProcess;
import io.derecho.bench.launch.MemberArgs;
import io.derecho.bench.launch.Ports;
import io.derecho.bench.launch.ProcessLauncher;
import io.derecho.bench.ratis.CounterCodec.CounterState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.proto.RaftProtos.ReplicationLevel;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;

/**
 * A Ratis cluster of separate server JVMs ({@link RatisServerMain}) on 127.0.0.1, and the
 * benchmark's client to it, which lives in this JVM.
 *
 * <p>{@link #start} returns once every server is up and a leader answers a read. {@link #close}
 * closes the client, asks each server to stop (closes its stdin), kills by pid whatever has not
 * exited after a grace period, and deletes the servers' storage directories. Server logs stay in
 * {@link #logDir()}.
 */
public final class RatisCluster implements AutoCloseable {

  /**
   * How to start the cluster.
   *
   * @param nodes number of servers (3 for the benchmark)
   * @param transport RPC implementation
   * @param heap {@code -Xmx} of every server JVM
   * @param overrides raw Ratis keys applied after the tuning, to servers and client
   * @param maxInFlight the most requests the benchmark will have outstanding
   * @param startTimeout how long servers and the first leader may take
   * @param lifetime hard limit on the servers' lifetime (they halt themselves after it)
   */
  public record Options(
      int nodes,
      RatisSettings.Transport transport,
      String heap,
      Map<String, String> overrides,
      int maxInFlight,
      Duration startTimeout,
      Duration lifetime) {
    public Options {
      if (nodes < 1) {
        throw new IllegalArgumentException("nodes must be >= 1, got " + nodes);
      }
      overrides = Map.copyOf(overrides);
    }
  }

  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final ProcessLauncher launcher;
  private final List<LaunchedProcess> servers;
  private final RaftGroup group;
  private final Path storageRoot;
  private final Path logDir;
  private RaftClient client;
  /** Reads and waits go through a client of their own so they never sit in the write stream. */
  private RaftClient checker;

  /** On Ctrl-C: the launcher kills the servers, this removes their logs from tmpfs. */
  private final Thread cleanupHook;

  private RatisCluster(ProcessLauncher launcher, List<LaunchedProcess> servers, RaftGroup group,
      Path storageRoot, Path logDir) {
    this.launcher = launcher;
    this.servers = servers;
    this.group = group;
    this.storageRoot = storageRoot;
    this.logDir = logDir;
    this.cleanupHook = new Thread(() -> {
      launcher.kill(servers);
      deleteTree(storageRoot);
    }, "ratis-cluster-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanupHook);
  }

  /** Starts the servers and connects the client; on failure stops what it started. */
  public static RatisCluster start(ProcessLauncher launcher, Options o) throws Exception {
    Path storage = newStorageRoot();
    Path logs = launcher.newRunSubDir("ratis-" + o.transport().name().toLowerCase(Locale.ROOT) + "-n"
        + o.nodes());
    List<Integer> ports = Ports.freeTcpPorts(o.nodes());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < o.nodes(); i++) {
      ids.add("n" + i);
    }
    String groupId = UUID.randomUUID().toString();
    String peers = RatisServerMain.peersArg(ids, ports);
    List<LaunchedProcess> started = new ArrayList<>();
    RatisCluster cluster = new RatisCluster(launcher, started,
        RatisServerMain.group(groupId, peers), storage, logs);
    try {
      for (int i = 0; i < o.nodes(); i++) {
        MemberArgs.Builder b = MemberArgs.builder()
            .put("id", ids.get(i))
            .put("peers", peers)
            .put("group", groupId)
            .put("dir", storage.resolve(ids.get(i)))
            .put("transport", o.transport().name())
            .put("hardDeadlineMs", o.lifetime().toMillis());
        o.overrides().forEach((k, v) -> b.put(RatisServerMain.OPT_PREFIX + k, v));
        started.add(launcher.launch("ratis-" + ids.get(i), logs, RatisServerMain.class,
            jvmArgs(o.heap()), b.toArgs()));
      }
      long deadline = System.nanoTime() + o.startTimeout().toNanos();
      for (LaunchedProcess p : started) {
        Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        if (!p.awaitEvent(RatisServerMain.EVENT_STARTED, left)) {
          throw new IllegalStateException(p + " did not start within " + o.startTimeout()
              + (p.isAlive() ? "" : " (exited " + p.exitCode().orElse(-1) + ")") + "; stderr: "
              + p.stderrTail(15));
        }
      }
      cluster.checker = cluster.newClient(o, o.startTimeout(), null);
      // A linearizable read succeeds only through an elected leader that committed its term.
      cluster.readLeader();
      cluster.client = cluster.newClient(o, o.startTimeout(), cluster.checker.getLeaderId());
      return cluster;
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  private RaftClient newClient(Options o, Duration retryFor, RaftPeerId leader) {
    long attempts = Math.max(1, retryFor.toMillis() / 100);
    return RaftClient.newBuilder()
        .setRaftGroup(group)
        .setLeaderId(leader)
        .setProperties(RatisSettings.clientProperties(o.transport(), o.maxInFlight(),
            o.overrides()))
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
            (int) Math.min(Integer.MAX_VALUE, attempts),
            TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
        .build();
  }

  /** The client for the benchmark's writes. */
  public RaftClient client() {
    return client;
  }

  public List<RaftPeerId> peerIds() {
    return group.getPeers().stream().map(RaftPeer::getId).toList();
  }

  /** Pids of the server processes, in id order. */
  public List<Long> pids() {
    return servers.stream().map(LaunchedProcess::pid).toList();
  }

  public Path storageRoot() {
    return storageRoot;
  }

  public Path logDir() {
    return logDir;
  }

  /** The leader the write client last talked to, or null. */
  public RaftPeerId leader() {
    return client == null ? null : client.getLeaderId();
  }

  /** A linearizable read through the leader (retried while there is none). */
  public CounterState readLeader() throws IOException {
    return decode(checker.io().sendReadOnly(getMessage()));
  }

  /**
   * Reads the counter at every server once the entry at {@code minIndex} is committed on all of
   * them (a Ratis watch at ALL_COMMITTED) and applied (a stale read at {@code minIndex}, answered
   * by that server's own state machine). A server whose commit index is still behind answers
   * {@code StaleReadException} and is asked again until {@code timeout}.
   */
  public Map<RaftPeerId, CounterState> readEvery(long minIndex, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    RaftClientReply watched = checker.io().watch(minIndex, ReplicationLevel.ALL_COMMITTED);
    if (!watched.isSuccess()) {
      throw new IllegalStateException("watch " + minIndex + " ALL_COMMITTED failed: "
          + watched.getException());
    }
    Map<RaftPeerId, CounterState> out = new LinkedHashMap<>();
    for (RaftPeerId id : peerIds()) {
      while (true) {
        try {
          RaftClientReply r = checker.io().sendStaleRead(getMessage(), minIndex, id);
          if (r.isSuccess()) {
            out.put(id, decode(r));
            break;
          }
          if (!isStaleRead(r.getException())) {
            throw new IllegalStateException("read from " + id + " failed: " + r.getException());
          }
        } catch (IOException e) {
          if (!isStaleRead(e)) {
            throw e;
          }
        }
        if (System.nanoTime() > deadline) {
          throw new TimeoutException("no read from " + id + " at index >= " + minIndex
              + " within " + timeout);
        }
        Thread.sleep(20); // the follower learns the commit index with the next AppendEntries
      }
    }
    return out;
  }

  /**
   * Stops the client and every server (stdin closed, then kill by pid after a grace period) and
   * deletes the storage directories. Safe to call twice.
   */
  @Override
  public void close() {
    for (RaftClient c : new RaftClient[] {client, checker}) {
      if (c != null) {
        try {
          c.close();
        } catch (IOException | RuntimeException e) {
          // the servers go anyway
        }
      }
    }
    for (LaunchedProcess p : servers) {
      try {
        p.process().getOutputStream().close();
      } catch (IOException ignored) {
        // already gone
      }
    }
    long deadline = System.nanoTime() + STOP_GRACE.toNanos();
    for (LaunchedProcess p : servers) {
      try {
        p.awaitExit(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    launcher.kill(servers);
    try {
      Runtime.getRuntime().removeShutdownHook(cleanupHook);
    } catch (IllegalStateException ignored) {
      // already shutting down: the hook runs anyway
    }
    deleteTree(storageRoot);
  }

  private static Message getMessage() {
    return Message.valueOf(ByteString.copyFrom(CounterCodec.get()));
  }

  private static CounterState decode(RaftClientReply r) {
    if (!r.isSuccess()) {
      throw new IllegalStateException("read failed: " + r.getException());
    }
    return CounterCodec.decodeGetReply(r.getMessage().getContent().asReadOnlyByteBuffer());
  }

  private static boolean isStaleRead(Throwable t) {
    for (; t != null; t = t.getCause()) {
      if (t instanceof org.apache.ratis.protocol.exceptions.StaleReadException) {
        return true;
      }
    }
    return false;
  }

  static List<String> jvmArgs(String heap) {
    List<String> jvm = new ArrayList<>(List.of("-Xms256m", "-Xmx" + heap, "-XX:+UseG1GC",
        "-XX:+ExitOnOutOfMemoryError", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "--enable-native-access=ALL-UNNAMED"));
    if (Runtime.version().feature() >= 23) {
      // Ratis' shaded Netty still uses sun.misc.Unsafe memory access; keep its warning quiet.
      jvm.add("--sun-misc-unsafe-memory-access=allow");
    }
    return jvm;
  }

  /** Log storage on tmpfs when the machine has {@code /dev/shm}, else the default temp dir. */
  static Path newStorageRoot() throws IOException {
    Path shm = Path.of("/dev/shm");
    if (Files.isDirectory(shm) && Files.isWritable(shm)) {
      return Files.createTempDirectory(shm, "derecho-ratis-");
    }
    return Files.createTempDirectory("derecho-ratis-");
  }

  static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
