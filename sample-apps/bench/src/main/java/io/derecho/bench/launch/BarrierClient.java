package io.derecho.bench.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Member-side end of {@link Barrier}. Typical use in a member process:
 *
 * <pre>{@code
 * try (BarrierClient barrier = BarrierClient.connect(args.get("barrier"), rank, Duration.ofSeconds(30))) {
 *   ... join the group, wait for the full view ...
 *   barrier.await("start", Duration.ofSeconds(60));   // everyone starts sending together
 *   ... send / receive ...
 *   barrier.await("done", Duration.ofSeconds(60));    // nobody leaves while others still need it
 * }
 * }</pre>
 *
 * Not thread-safe: use it from one thread.
 */
public final class BarrierClient implements AutoCloseable {

  /** Thrown when the driver aborted the barrier or a peer disconnected. */
  public static final class BarrierAbortedException extends IOException {
    public BarrierAbortedException(String reason) {
      super("barrier aborted: " + reason);
    }
  }

  private final Socket socket;
  private final BufferedReader in;
  private final OutputStream out;
  private final int rank;

  private BarrierClient(Socket socket, int rank) throws IOException {
    this.socket = socket;
    this.rank = rank;
    this.in =
        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    this.out = socket.getOutputStream();
  }

  /**
   * Connects to the driver's barrier at {@code host:port} (as printed by {@link
   * Barrier#address()}), retrying until {@code timeout}.
   */
  public static BarrierClient connect(String hostPort, int rank, Duration timeout)
      throws IOException {
    int colon = hostPort.lastIndexOf(':');
    String host = hostPort.substring(0, colon);
    int port = Integer.parseInt(hostPort.substring(colon + 1));
    long deadline = System.nanoTime() + timeout.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      Socket s = new Socket();
      try {
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port), 2000);
        BarrierClient c = new BarrierClient(s, rank);
        c.send("HELLO " + rank);
        return c;
      } catch (IOException e) {
        last = e;
        s.close();
        try {
          Thread.sleep(50);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", ie);
        }
      }
    }
    throw new IOException("cannot reach barrier at " + hostPort, last);
  }

  public int rank() {
    return rank;
  }

  /**
   * Arrives at {@code round} and blocks until every party has arrived.
   *
   * @throws SocketTimeoutException when not released within {@code timeout}
   * @throws BarrierAbortedException when the driver aborted or a peer disconnected
   */
  public void await(String round, Duration timeout) throws IOException {
    if (round.isBlank() || round.contains(" ") || round.contains("\n")) {
      throw new IllegalArgumentException("round names are single words: " + round);
    }
    send("ARRIVE " + round);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long leftMs = (deadline - System.nanoTime()) / 1_000_000;
      if (leftMs <= 0) {
        throw new SocketTimeoutException("barrier round '" + round + "' not released in time");
      }
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, leftMs));
      String line;
      try {
        line = in.readLine();
      } catch (SocketTimeoutException e) {
        throw new SocketTimeoutException("barrier round '" + round + "' not released in time");
      }
      if (line == null) {
        throw new BarrierAbortedException("driver closed the barrier");
      }
      if (line.startsWith("ABORT")) {
        throw new BarrierAbortedException(line.length() > 6 ? line.substring(6) : "aborted");
      }
      if (line.equals("GO " + round)) {
        return;
      }
      // a GO for some other round (cannot normally happen with one thread): ignore
    }
  }

  /**
   * Reports that this member failed: the driver aborts the barrier, so every peer's pending and
   * future {@code await} throws instead of waiting for this member. Closes the connection.
   */
  public void fail(String reason) {
    try {
      send("FAIL member " + rank + ": " + reason.replace('\n', ' '));
    } catch (IOException ignored) {
      // the disconnect (without BYE) aborts the barrier as well
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // best effort
    }
  }

  /** Says goodbye (so the driver does not treat the disconnect as a failure) and closes. */
  @Override
  public void close() {
    try {
      send("BYE");
    } catch (IOException ignored) {
      // best effort
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // best effort
    }
  }

  private void send(String line) throws IOException {
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
