package io.derecho.bench.tcp;

import io.derecho.bench.group.Latency;
import io.derecho.bench.group.OrderDigest;
import io.derecho.bench.launch.MemberArgs;
import io.derecho.bench.launch.MemberRuntime;
import io.derecho.bench.launch.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One end of the TCP pump. {@code role=sink} listens, counts everything it reads on the first
 * connection until EOF (timing first to last read), then echoes 1 KiB pings on a second
 * connection. {@code role=source} writes {@code size}-byte chunks, each starting with its
 * sequence number (8 bytes, big-endian), then measures the ping-pong round trip.
 *
 * <p>Arguments: {@code role}, {@code port}, {@code size}, {@code chunks} (target count), {@code
 * minMs}/{@code maxMs} (the source sends at least {@code minMs} and at most {@code maxMs} even if
 * {@code chunks} is reached earlier / not yet), {@code pings}, {@code sockbuf} (bytes; 0 = OS
 * default autotuning), {@code timeoutMs}.
 */
public final class TcpPumpMember {

  static final int PING_SIZE = 1024;

  private TcpPumpMember() {}

  public static void main(String[] argv) throws Exception {
    MemberArgs a = MemberArgs.parse(argv);
    Duration timeout = a.getMillis("timeoutMs");
    MemberRuntime.install(timeout.plusSeconds(10));
    int exit = 0;
    try {
      if (a.get("role").equals("sink")) {
        sink(a);
      } else {
        source(a);
      }
    } catch (Throwable e) {
      e.printStackTrace();
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("role", a.get("role"));
      r.put("ok", false);
      r.put("note", a.get("role") + " failed: " + e);
      MemberRuntime.result(r);
      exit = 1;
    }
    System.out.flush();
    System.exit(exit);
  }

  private static void sink(MemberArgs a) throws IOException {
    int size = a.getInt("size");
    int sockbuf = a.getInt("sockbuf", 0);
    long deadline = System.nanoTime() + a.getMillis("timeoutMs").toNanos();
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      if (sockbuf > 0) {
        server.setOption(StandardSocketOptions.SO_RCVBUF, sockbuf);
      }
      server.bind(new InetSocketAddress(Ports.loopback(), a.getInt("port")));
      MemberRuntime.event("listening");
      long bytes = 0;
      long first = 0;
      long last = 0;
      long pos = 0;
      long acc = 0;
      long expected = 0;
      long seqErrors = 0;
      OrderDigest digest = new OrderDigest();
      try (SocketChannel ch = server.accept()) {
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        while (true) {
          buf.clear();
          int r = ch.read(buf);
          if (r < 0) {
            break;
          }
          long now = System.nanoTime();
          if (bytes == 0) {
            first = now;
          }
          last = now;
          bytes += r;
          // Pick the 8-byte sequence number at the start of each chunk out of the stream.
          int i = 0;
          while (i < r) {
            long off = pos % size;
            if (off < 8) {
              acc = (acc << 8) | (buf.get(i) & 0xFF);
              i++;
              pos++;
              if (off == 7) {
                if (acc != expected) {
                  seqErrors++;
                }
                digest.update(0, acc);
                expected = acc + 1;
                acc = 0;
              }
            } else {
              int skip = (int) Math.min(r - i, size - off);
              i += skip;
              pos += skip;
            }
          }
          if (System.nanoTime() - deadline > 0) {
            throw new IOException("sink deadline passed while pumping");
          }
        }
      }
      // Ping-pong echo on a second connection.
      long echoed = 0;
      try (SocketChannel ch = server.accept()) {
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ByteBuffer ping = ByteBuffer.allocateDirect(PING_SIZE);
        while (readFully(ch, ping)) {
          ping.flip();
          while (ping.hasRemaining()) {
            ch.write(ping);
          }
          echoed++;
        }
      }
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("role", "sink");
      r.put("bytes", bytes);
      r.put("chunks", bytes / size);
      r.put("partial", bytes % size);
      r.put("firstNanos", first);
      r.put("lastNanos", last);
      r.put("seqErrors", seqErrors);
      r.put("digest", digest.hex());
      r.put("echoed", echoed);
      r.put("ok", seqErrors == 0 && bytes % size == 0 && bytes > 0);
      r.put("note", "");
      MemberRuntime.result(r);
    }
  }

  private static void source(MemberArgs a) throws Exception {
    int size = a.getInt("size");
    long chunks = a.getLong("chunks");
    long minNs = a.getMillis("minMs").toNanos();
    long maxNs = a.getMillis("maxMs").toNanos();
    int sockbuf = a.getInt("sockbuf", 0);
    int pings = a.getInt("pings");
    InetSocketAddress addr = new InetSocketAddress(Ports.loopback(), a.getInt("port"));
    OrderDigest digest = new OrderDigest();
    long sent = 0;
    long start;
    long end;
    try (SocketChannel ch = SocketChannel.open()) {
      if (sockbuf > 0) {
        ch.setOption(StandardSocketOptions.SO_SNDBUF, sockbuf);
      }
      ch.connect(addr);
      ByteBuffer chunk = ByteBuffer.allocateDirect(size);
      start = System.nanoTime();
      while (true) {
        long el = System.nanoTime() - start;
        if (el >= maxNs || (sent >= chunks && el >= minNs)) {
          break;
        }
        chunk.clear();
        chunk.putLong(0, sent);
        while (chunk.hasRemaining()) {
          ch.write(chunk);
        }
        digest.update(0, sent);
        sent++;
      }
      end = System.nanoTime();
      ch.shutdownOutput();
      // wait for the sink to close its side, so the pump is fully drained before pinging
      ByteBuffer one = ByteBuffer.allocate(1);
      while (ch.read(one) >= 0) {
        one.clear();
      }
    }
    Histogram h = Latency.newHistogram();
    long rounds = 0;
    try (SocketChannel ch = SocketChannel.open()) {
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ch.connect(addr);
      ByteBuffer out = ByteBuffer.allocateDirect(PING_SIZE);
      ByteBuffer in = ByteBuffer.allocateDirect(PING_SIZE);
      int warmup = Math.min(2000, pings);
      long pingDeadline = System.nanoTime() + 10_000_000_000L;
      for (int k = 0; k < warmup + pings && System.nanoTime() < pingDeadline; k++) {
        out.clear();
        out.putLong(0, k);
        long t0 = System.nanoTime();
        while (out.hasRemaining()) {
          ch.write(out);
        }
        if (!readFully(ch, in)) {
          throw new IOException("sink closed during ping-pong");
        }
        long rtt = System.nanoTime() - t0;
        if (k >= warmup) {
          Latency.recordNanos(h, rtt / 2);
          rounds++;
        }
      }
      ch.shutdownOutput();
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("role", "source");
    r.put("sent", sent);
    r.put("bytes", sent * size);
    r.put("sendSeconds", (end - start) / 1e9);
    r.put("digest", digest.hex());
    r.put("pings", rounds);
    r.put("ok", true);
    r.put("note", "");
    r.put("histogram", Latency.encode(h));
    MemberRuntime.result(r);
  }

  private static boolean readFully(SocketChannel ch, ByteBuffer buf) throws IOException {
    buf.clear();
    while (buf.hasRemaining()) {
      if (ch.read(buf) < 0) {
        if (buf.position() == 0) {
          return false;
        }
        throw new IOException("EOF inside a message");
      }
    }
    return true;
  }
}
