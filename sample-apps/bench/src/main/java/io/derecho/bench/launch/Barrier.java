package io.derecho.bench.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Driver-side start barrier: a tiny line-based TCP coordinator on 127.0.0.1.
 *
 * <p>Each of {@code parties} member processes opens one connection with {@link BarrierClient}
 * and may then wait on any number of named rounds ("start", "done", ...). A round is released
 * (every waiting member reads {@code GO <round>}) as soon as all parties have arrived at it.
 * Rounds are independent and may be used in any order.
 *
 * <p>If a member's connection drops before it said goodbye (crash, kill), a member reports
 * {@link BarrierClient#fail}, or the driver calls {@link #abort(String)}, every member gets {@code ABORT <reason>} and its pending and future
 * {@code await} calls throw, so no member waits for a peer that is gone.
 *
 * <p>Wire protocol (UTF-8 lines): client sends {@code HELLO <rank>}, {@code ARRIVE <round>},
 * {@code FAIL <reason>} (aborts everyone), {@code BYE}; server sends {@code GO <round>} or {@code
 * ABORT <reason>}.
 */
public final class Barrier implements AutoCloseable {

  private final int parties;
  private final ServerSocket server;
  private final Thread acceptor;
  private final Map<Integer, Conn> conns = new ConcurrentHashMap<>();
  private final Map<String, Set<Integer>> arrivals = new HashMap<>();
  private final Set<String> released = new HashSet<>();
  private volatile String abortReason;
  private volatile boolean closed;

  private Barrier(int parties, ServerSocket server) {
    this.parties = parties;
    this.server = server;
    this.acceptor = new Thread(this::acceptLoop, "barrier-accept-" + server.getLocalPort());
    this.acceptor.setDaemon(true);
    this.acceptor.start();
  }

  /** Opens a barrier for {@code parties} members on an ephemeral port of 127.0.0.1. */
  public static Barrier open(int parties) throws IOException {
    if (parties < 1) {
      throw new IllegalArgumentException("parties must be >= 1");
    }
    ServerSocket ss = new ServerSocket();
    ss.bind(new InetSocketAddress(Ports.loopback(), 0), 64);
    return new Barrier(parties, ss);
  }

  public int parties() {
    return parties;
  }

  /** Members that introduced themselves (HELLO) and are still connected. */
  public int connected() {
    return conns.size();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** {@code 127.0.0.1:<port>}: what members pass to {@link BarrierClient#connect}. */
  public String address() {
    return Ports.LOOPBACK + ":" + port();
  }

  /** How many members have arrived at {@code round} so far. */
  public synchronized int arrived(String round) {
    Set<Integer> s = arrivals.get(round);
    return s == null ? 0 : s.size();
  }

  /** True once {@code round} has been released. */
  public synchronized boolean isReleased(String round) {
    return released.contains(round);
  }

  /**
   * Blocks the driver until {@code round} is released, the barrier is aborted, or the timeout
   * elapses; returns whether the round was released.
   */
  public synchronized boolean awaitRelease(String round, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!released.contains(round) && abortReason == null) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return released.contains(round);
  }

  /** Tells every connected member to give up (their awaits throw). */
  public void abort(String reason) {
    synchronized (this) {
      if (abortReason != null) {
        return;
      }
      abortReason = reason == null ? "aborted" : reason;
      notifyAll();
    }
    for (Conn c : conns.values()) {
      c.send("ABORT " + abortReason.replace('\n', ' '));
    }
  }

  /** Null unless aborted. */
  public String abortReason() {
    return abortReason;
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // best effort
    }
    for (Conn c : conns.values()) {
      c.close();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket s = server.accept();
        s.setTcpNoDelay(true);
        Thread t = new Thread(() -> serve(s), "barrier-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        if (!closed) {
          abort("barrier accept failed: " + e);
        }
        return;
      }
    }
  }

  private void serve(Socket s) {
    Conn conn = null;
    boolean bye = false;
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
      OutputStream out = s.getOutputStream();
      String hello = in.readLine();
      if (hello == null || !hello.startsWith("HELLO ")) {
        s.close();
        return;
      }
      int rank = Integer.parseInt(hello.substring(6).trim());
      conn = new Conn(rank, s, out);
      Conn previous = conns.put(rank, conn);
      if (previous != null) {
        previous.close();
      }
      if (abortReason != null) {
        conn.send("ABORT " + abortReason);
      }
      String line;
      while ((line = in.readLine()) != null) {
        if (line.equals("BYE")) {
          bye = true;
          break;
        }
        if (line.startsWith("ARRIVE ")) {
          arrive(rank, line.substring(7).trim());
        } else if (line.startsWith("FAIL")) {
          abort(line.length() > 5 ? line.substring(5) : "member " + rank + " failed");
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through: treated as a disconnect
    } finally {
      if (conn != null) {
        conns.remove(conn.rank, conn);
        conn.close();
        if (!bye && !closed) {
          abort("member " + conn.rank + " disconnected from the barrier");
        }
      }
    }
  }

  private void arrive(int rank, String round) {
    boolean release;
    synchronized (this) {
      if (released.contains(round)) {
        // Late arrival at a released round (e.g. reconnect): answer immediately.
        Conn c = conns.get(rank);
        if (c != null) {
          c.send("GO " + round);
        }
        return;
      }
      Set<Integer> set = arrivals.computeIfAbsent(round, r -> new HashSet<>());
      set.add(rank);
      release = set.size() >= parties;
      if (release) {
        released.add(round);
        notifyAll();
      }
    }
    if (release) {
      for (Conn c : conns.values()) {
        c.send("GO " + round);
      }
    }
  }

  private static final class Conn {
    final int rank;
    final Socket socket;
    final OutputStream out;

    Conn(int rank, Socket socket, OutputStream out) {
      this.rank = rank;
      this.socket = socket;
      this.out = out;
    }

    synchronized void send(String line) {
      try {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException ignored) {
        // the reader side notices the disconnect
      }
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // best effort
      }
    }
  }
}
