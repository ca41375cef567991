package io.derecho.fabric.tcp;

import static io.derecho.fabric.tcp.TcpTestSupport.addr;
import static io.derecho.fabric.tcp.TcpTestSupport.closedByPeer;
import static io.derecho.fabric.tcp.TcpTestSupport.connect;
import static io.derecho.fabric.tcp.TcpTestSupport.hello;
import static io.derecho.fabric.tcp.TcpTestSupport.readReject;
import static io.derecho.fabric.tcp.TcpTestSupport.readWelcome;
import static io.derecho.fabric.tcp.TcpTestSupport.refusalFrom;
import static io.derecho.fabric.tcp.TcpTestSupport.startAll;
import static io.derecho.fabric.tcp.TcpTestSupport.withFreePorts;
import static org.assertj.core.api.Assertions.assertThat;

import io.derecho.fabric.tcp.RecordingHandler.LinkDown;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Node 0 of {0, 1, 2} is linked to a real node 1 while a raw socket sends it malformed input
 * (pretending to be node 2 where it needs to): each time node 0 closes that connection, records an
 * error naming the problem, and keeps serving node 1.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TcpFabricMalformedInputTest extends TcpFabricTestBase {

    private static final int MAX_FRAME = 1024 * 1024;
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(500);

    private RecordingHandler h0;
    private RecordingHandler h1;
    private TcpFabric n0;
    private TcpFabric n1;

    @BeforeEach
    void startNodes() throws Exception {
        h0 = new RecordingHandler(loop(0));
        h1 = new RecordingHandler(loop(1));
        TcpFabric[] f = withFreePorts(3, ports -> {
            TcpFabric a = fabric(new TcpFabricConfig(GROUP, 0, addr(ports[0]),
                    Map.of(1, addr(ports[1]), 2, addr(ports[2])), MAX_FRAME), loop(0), h0,
                    HANDSHAKE_TIMEOUT);
            TcpFabric b = fabric(new TcpFabricConfig(GROUP, 1, addr(ports[1]),
                    Map.of(0, addr(ports[0]), 2, addr(ports[2])), MAX_FRAME), loop(1), h1);
            startAll(List.of(a, b));
            return new TcpFabric[] {a, b};
        });
        n0 = f[0];
        n1 = f[1];
        await().until(() -> n0.connectedPeers().contains(1) && n1.connectedPeers().contains(0));
    }

    @AfterEach
    void realPeersStillTalk() {
        assertLinkCarries(n1, loop(1), 1, 0, h0, (byte) 7, (byte) 8);
        assertLinkCarries(n0, loop(0), 0, 1, h1, (byte) 9);
        assertThat(n0.connectedPeers()).contains(1);
        assertThat(h0.linkDowns).noneMatch(d -> d.nodeId() == 1);
        assertThat(h1.linkDowns).isEmpty();
        assertThat(h0.threadViolations).isEmpty();
    }

    @Test
    void garbageIsRefusedAsNotADerechoPeer() throws Exception {
        String reason = "not a Derecho peer: bad magic 0x47455420";
        try (Socket raw = connect(n0.boundPort())) {
            raw.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readReject(raw)).isEqualTo(reason);
            assertThat(closedByPeer(raw)).isTrue();
            await().until(() -> n0.refusals().contains(refusalFrom(raw, reason)));
        }
    }

    @Test
    void truncatedHelloFollowedByCloseIsRecorded() throws Exception {
        String entry;
        try (Socket raw = connect(n0.boundPort())) {
            raw.getOutputStream().write(Arrays.copyOf(hello(GROUP, 2), 9));
            entry = refusalFrom(raw, "connection closed after 9 bytes, before a complete HELLO");
        }
        await().until(() -> n0.refusals().contains(entry));
        assertThat(n0.connectedPeers()).doesNotContain(2);
    }

    @Test
    void handshakeThatStallsIsClosedAfterTheTimeout() throws Exception {
        String reason = "handshake did not complete within 500 ms";
        try (Socket raw = connect(n0.boundPort())) {
            raw.getOutputStream().write(Arrays.copyOf(hello(GROUP, 2), 5));
            assertThat(readReject(raw)).isEqualTo(reason);
            assertThat(closedByPeer(raw)).isTrue();
            await().until(() -> n0.refusals().contains(refusalFrom(raw, reason)));
        }
        assertThat(n0.connectedPeers()).doesNotContain(2);
    }

    /**
     * After a good handshake (with a frame in the same write, which is delivered), a length prefix
     * above maxFrameBytes closes the link, reported once through onLinkDown and lastError.
     */
    @Test
    void lengthPrefixAboveMaxFrameBytesClosesTheLink() throws Exception {
        String error = "frame of 123456789 bytes from node 2 exceeds maxFrameBytes 1048576";
        try (Socket raw = connect(n0.boundPort())) {
            byte[] hello = hello(GROUP, 2);
            raw.getOutputStream().write(ByteBuffer.allocate(hello.length + 6)
                    .put(hello).putInt(2).put((byte) 5).put((byte) 6).array());
            assertThat(readWelcome(raw)).isZero();
            await().until(() -> h0.frames.stream()
                    .anyMatch(f -> f.from() == 2 && Arrays.equals(f.body(), new byte[] {5, 6})));
            assertThat(n0.connectedPeers()).contains(2);

            raw.getOutputStream().write(ByteBuffer.allocate(8).putInt(123_456_789).putInt(0).array());
            assertThat(closedByPeer(raw)).isTrue();
            await().until(() -> !h0.linkDowns.isEmpty());
            assertThat(h0.linkDowns).containsExactly(new LinkDown(2, error));
            assertThat(n0.lastError(2)).isEqualTo(error);
            assertThat(n0.connectedPeers()).doesNotContain(2);
        }
    }
}
