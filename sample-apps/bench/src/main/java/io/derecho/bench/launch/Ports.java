package io.derecho.bench.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** Loopback address and free-port helpers. */
public final class Ports {

  /** Everything in the bench runs on IPv4 loopback. */
  public static final String LOOPBACK = "127.0.0.1";

  private Ports() {}

  public static InetAddress loopback() {
    try {
      return InetAddress.getByName(LOOPBACK);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One currently free TCP port on 127.0.0.1. */
  public static int freeTcpPort() {
    return freeTcpPorts(1).get(0);
  }

  /**
   * {@code count} distinct TCP ports that are free on 127.0.0.1 right now. All probe sockets are
   * held open until every port has been picked, so the ports are distinct; another process could
   * still grab one before the member binds it (unlikely on a quiet machine).
   */
  public static List<Integer> freeTcpPorts(int count) {
    List<ServerSocket> held = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    try {
      for (int k = 0; k < count; k++) {
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(false);
        ss.bind(new InetSocketAddress(loopback(), 0));
        held.add(ss);
        ports.add(ss.getLocalPort());
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find free ports", e);
    } finally {
      for (ServerSocket ss : held) {
        try {
          ss.close();
        } catch (IOException ignored) {
          // best effort
        }
      }
    }
  }

  /** True when something accepts TCP connections on 127.0.0.1:port. */
  public static boolean isListening(int port, int connectTimeoutMs) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(loopback(), port), connectTimeoutMs);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
