package io.derecho.fabric.tcp;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Ports, raw-socket peers and hand-made handshake bytes for the TCP fabric tests. */
final class TcpTestSupport {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private TcpTestSupport() {
    }

    /** Builds and starts fabrics on ports it picks; returns what {@code body} returns. */
    interface PortsBody<T> {
        T run(int[] ports) throws Exception;
    }

    /**
     * Runs {@code body} with {@code n} distinct ports that were free a moment ago; if another
     * process grabs one in between (the fabric's start then fails with "already in use"), tries
     * again with fresh ports. {@code body} must close what it started before it throws.
     */
    static <T> T withFreePorts(int n, PortsBody<T> body) throws Exception {
        for (int attempt = 1; ; attempt++) {
            int[] ports = freePorts(n);
            try {
                return body.run(ports);
            } catch (IllegalStateException e) {
                if (attempt == 5 || e.getMessage() == null || !e.getMessage().contains("already in use")) {
                    throw e;
                }
            }
        }
    }

    static int[] freePorts(int n) throws IOException {
        Set<Integer> seen = new HashSet<>();
        int[] ports = new int[n];
        for (int i = 0; i < n; ) {
            try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
                if (seen.add(s.getLocalPort())) {
                    ports[i++] = s.getLocalPort();
                }
            }
        }
        return ports;
    }

    /** 127.0.0.1:port, printed as "/127.0.0.1:port" like the addresses the fabric reports. */
    static InetSocketAddress addr(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    /** Starts every fabric; if one fails, closes them all and rethrows. */
    static void startAll(List<TcpFabric> fabrics) {
        for (TcpFabric f : fabrics) {
            try {
                f.start();
            } catch (RuntimeException e) {
                fabrics.forEach(TcpFabric::close);
                throw e;
            }
        }
    }

    /** HELLO with every field chosen by the caller, so tests can send wrong ones. */
    static byte[] hello(int magic, short version, int type, String group, int nodeId) {
        byte[] name = group.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + 2 + 1 + 2 + name.length + 4)
                .putInt(magic).putShort(version).put((byte) type)
                .putShort((short) name.length).put(name).putInt(nodeId)
                .array();
    }

    static byte[] hello(String group, int nodeId) {
        return hello(TcpFabric.MAGIC, TcpFabric.PROTOCOL_VERSION, 1, group, nodeId);
    }

    static Socket connect(int port) throws IOException {
        Socket s = new Socket(LOOPBACK, port);
        s.setSoTimeout(10_000);
        return s;
    }

    /** Reads a REJECT (checking magic, version and type) and returns its reason. */
    static String readReject(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        readPrefix(in, 3);
        byte[] reason = new byte[in.readUnsignedShort()];
        in.readFully(reason);
        return new String(reason, StandardCharsets.UTF_8);
    }

    /** Reads a WELCOME (checking magic, version and type) and returns its node id. */
    static int readWelcome(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        readPrefix(in, 2);
        return in.readInt();
    }

    private static void readPrefix(DataInputStream in, int expectedType) throws IOException {
        int magic = in.readInt();
        short version = in.readShort();
        int type = in.readUnsignedByte();
        if (magic != TcpFabric.MAGIC || version != TcpFabric.PROTOCOL_VERSION || type != expectedType) {
            throw new IOException(String.format("expected type %d, got magic 0x%08x version %d type %d",
                    expectedType, magic, version, type));
        }
    }

    /** True once the peer has closed: end of stream, or a reset because it closed with data unread. */
    static boolean closedByPeer(Socket s) {
        try {
            InputStream in = s.getInputStream();
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    static String refusalFrom(Socket s, String reason) {
        return "refused /" + s.getLocalAddress().getHostAddress() + ":" + s.getLocalPort() + ": " + reason;
    }
}
