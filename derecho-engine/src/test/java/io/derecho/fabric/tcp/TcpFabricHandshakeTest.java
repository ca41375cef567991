package io.derecho.fabric.tcp;

import static io.derecho.fabric.tcp.TcpTestSupport.addr;
import static io.derecho.fabric.tcp.TcpTestSupport.closedByPeer;
import static io.derecho.fabric.tcp.TcpTestSupport.connect;
import static io.derecho.fabric.tcp.TcpTestSupport.hello;
import static io.derecho.fabric.tcp.TcpTestSupport.readReject;
import static io.derecho.fabric.tcp.TcpTestSupport.refusalFrom;
import static io.derecho.fabric.tcp.TcpTestSupport.startAll;
import static io.derecho.fabric.tcp.TcpTestSupport.withFreePorts;
import static org.assertj.core.api.Assertions.assertThat;

import io.derecho.fabric.tcp.RecordingHandler.LinkDown;
import java.io.DataInputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Peers that fail the connect handshake are refused with the same clear reason on both sides: in
 * {@code refusals()} on the acceptor, in {@code lastError()} and {@code onLinkDown} on a dialing
 * fabric, or in the REJECT a raw client reads.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TcpFabricHandshakeTest extends TcpFabricTestBase {

    static Stream<Arguments> badHellos() {
        return Stream.of(
                Arguments.of("wrong protocol version",
                        hello(TcpFabric.MAGIC, (short) 7, 1, GROUP, 2),
                        "protocol version 7 not supported; this node speaks 1"),
                Arguments.of("wrong group",
                        hello("other", 2),
                        "group 'other' does not match this node's group 'g'"),
                Arguments.of("unknown node id",
                        hello(GROUP, 9),
                        "not yet a member: node id 9 is not a member of group 'g' known to node 1"),
                Arguments.of("the acceptor's own node id",
                        hello(GROUP, 1),
                        "node id 1 is this node's own id"),
                Arguments.of("a node that should be dialed instead",
                        hello(GROUP, 0),
                        "node id 0 must not dial node 1: members dial only lower ids, so node 1 dials it"),
                Arguments.of("WELCOME sent to the acceptor",
                        ByteBuffer.allocate(11).putInt(TcpFabric.MAGIC).putShort((short) 1).put((byte) 2)
                                .putInt(2).array(),
                        "unexpected handshake message type 2; expected HELLO (1) or JOIN (4)"));
    }

    /** Node 1 of {0, 1, 2} refuses each bad HELLO from a raw client and says why on both sides. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badHellos")
    void acceptorRefusesBadHelloWithReasonOnBothSides(String what, byte[] hello, String reason)
            throws Exception {
        RecordingHandler handler = new RecordingHandler(loop(1));
        TcpFabric acceptor = withFreePorts(3, ports -> {
            TcpFabric f = fabric(new TcpFabricConfig(GROUP, 1, addr(ports[1]),
                    Map.of(0, addr(ports[0]), 2, addr(ports[2]))), loop(1), handler);
            startAll(List.of(f));
            return f;
        });
        try (Socket raw = connect(acceptor.boundPort())) {
            // A frame right behind the HELLO (one write) must never reach the handler.
            raw.getOutputStream().write(ByteBuffer.allocate(hello.length + 5)
                    .put(hello).put(new byte[] {0, 0, 0, 1, 42}).array());
            assertThat(readReject(raw)).isEqualTo(reason);
            assertThat(closedByPeer(raw)).isTrue();
            await().until(() -> acceptor.refusals().contains(refusalFrom(raw, reason)));
        }
        assertThat(acceptor.connectedPeers()).isEmpty();
        assertThat(handler.frameCount.get()).isZero();
        assertThat(handler.linkDowns).isEmpty();
    }

    @Test
    void dialerInAnotherGroupIsRefusedAndToldWhy() throws Exception {
        assertFabricDialerRefused("other", 1, "group 'other' does not match this node's group 'g'");
    }

    /**
     * An unknown id may be a joiner the acceptor has not added yet: it is refused "not yet a
     * member" on every retry, and the dialer keeps the reason as lastError but never reports it.
     */
    @Test
    void dialerWithUnknownNodeIdIsRefusedForNowAndNotReported() throws Exception {
        RecordingHandler acceptorHandler = new RecordingHandler(loop(0));
        RecordingHandler dialerHandler = new RecordingHandler(loop(1));
        TcpFabric[] f = withFreePorts(3, ports -> {
            TcpFabric acceptor = fabric(new TcpFabricConfig(GROUP, 0, addr(ports[0]),
                    Map.of(1, addr(ports[1]))), loop(0), acceptorHandler);
            TcpFabric dialer = fabric(new TcpFabricConfig(GROUP, 9, addr(ports[2]),
                    Map.of(0, addr(ports[0]))), loop(1), dialerHandler);
            startAll(List.of(acceptor, dialer));
            return new TcpFabric[] {acceptor, dialer};
        });
        String reason = "not yet a member: node id 9 is not a member of group 'g' known to node 0";

        await().until(() -> f[0].refusals().size() >= 3); // the dialer keeps retrying
        assertThat(f[1].lastError(0)).isEqualTo("refused by node 0: " + reason);
        assertThat(f[0].refusals()).allSatisfy(r -> assertThat(r).endsWith(": " + reason));
        assertThat(dialerHandler.linkDowns).isEmpty();
        assertThat(acceptorHandler.linkDowns).isEmpty();
        assertThat(f[1].connectedPeers()).isEmpty();
        assertThat(dialerHandler.threadViolations).isEmpty();
    }

    /**
     * Node 0 (members {0, 1}) accepts; a fabric claiming {@code group}/{@code dialerId} dials it and
     * is refused, again on every retry, but told (onLinkDown) once.
     */
    private void assertFabricDialerRefused(String group, int dialerId, String reason) throws Exception {
        RecordingHandler acceptorHandler = new RecordingHandler(loop(0));
        RecordingHandler dialerHandler = new RecordingHandler(loop(1));
        TcpFabric[] f = withFreePorts(3, ports -> {
            TcpFabric acceptor = fabric(new TcpFabricConfig(GROUP, 0, addr(ports[0]),
                    Map.of(1, addr(ports[1]))), loop(0), acceptorHandler);
            TcpFabric dialer = fabric(new TcpFabricConfig(group, dialerId, addr(ports[2]),
                    Map.of(0, addr(ports[0]))), loop(1), dialerHandler);
            startAll(List.of(acceptor, dialer));
            return new TcpFabric[] {acceptor, dialer};
        });
        TcpFabric acceptor = f[0];
        TcpFabric dialer = f[1];
        String expected = "refused by node 0: " + reason;

        await().until(() -> acceptor.refusals().size() >= 2); // the dialer retried
        await().until(() -> expected.equals(dialer.lastError(0)));
        assertThat(dialerHandler.linkDowns).containsExactly(new LinkDown(0, expected));
        assertThat(acceptor.refusals()).allSatisfy(r -> assertThat(r)
                .matches("refused /127\\.0\\.0\\.1:\\d+: " + Pattern.quote(reason)));
        assertThat(acceptor.connectedPeers()).isEmpty();
        assertThat(dialer.connectedPeers()).isEmpty();
        assertThat(dialer.allConnected()).isNotDone();
        assertThat(acceptorHandler.linkDowns).isEmpty();
        assertThat(acceptorHandler.threadViolations).isEmpty();
        assertThat(dialerHandler.threadViolations).isEmpty();
    }

    /** A second fabric claiming node 1 while node 1 is connected is refused; the real link stays up. */
    @Test
    void duplicateNodeIdIsRefusedAndTheLiveLinkSurvives() throws Exception {
        RecordingHandler h0 = new RecordingHandler(loop(0));
        RecordingHandler h1 = new RecordingHandler(loop(1));
        RecordingHandler impostorHandler = new RecordingHandler(loop(2));
        TcpFabric[] f = withFreePorts(3, ports -> {
            TcpFabric n0 = fabric(new TcpFabricConfig(GROUP, 0, addr(ports[0]),
                    Map.of(1, addr(ports[1]))), loop(0), h0);
            TcpFabric n1 = fabric(new TcpFabricConfig(GROUP, 1, addr(ports[1]),
                    Map.of(0, addr(ports[0]))), loop(1), h1);
            startAll(List.of(n0, n1));
            n0.allConnected().get(5, TimeUnit.SECONDS);
            n1.allConnected().get(5, TimeUnit.SECONDS);
            TcpFabric impostor = fabric(new TcpFabricConfig(GROUP, 1, addr(ports[2]),
                    Map.of(0, addr(ports[0]))), loop(2), impostorHandler);
            startAll(List.of(impostor));
            return new TcpFabric[] {n0, n1, impostor};
        });
        TcpFabric n0 = f[0];
        TcpFabric n1 = f[1];
        TcpFabric impostor = f[2];
        String reason = "node id 1 is already connected from "
                + TcpFabric.describe(n0.linkRemoteAddress(1));
        assertThat(reason).isEqualTo("node id 1 is already connected from "
                + TcpFabric.describe(n1.linkLocalAddress(0)));

        await().until(() -> ("refused by node 0: " + reason).equals(impostor.lastError(0)));
        assertThat(impostorHandler.linkDowns).containsExactly(new LinkDown(0, "refused by node 0: " + reason));
        assertThat(n0.refusals()).isNotEmpty().allSatisfy(r -> assertThat(r).endsWith(": " + reason));

        assertThat(n0.connectedPeers()).containsExactly(1);
        assertThat(n1.connectedPeers()).containsExactly(0);
        assertThat(h0.linkDowns).isEmpty();
        assertThat(h1.linkDowns).isEmpty();
        assertLinkCarries(n1, loop(1), 1, 0, h0, (byte) 1, (byte) 2, (byte) 3);
        assertLinkCarries(n0, loop(0), 0, 1, h1, (byte) 4);
    }

    /** The dialing side rejects a reply that is not WELCOME/REJECT, or a WELCOME from the wrong node. */
    @Test
    void dialerRejectsBadRepliesAndReportsThem() throws Exception {
        try (ServerSocket impostor = new ServerSocket(0, 5, TcpTestSupport.LOOPBACK)) {
            impostor.setSoTimeout(10_000);
            String at = "/127.0.0.1:" + impostor.getLocalPort();
            RecordingHandler handler = new RecordingHandler(loop(1));
            TcpFabric dialer = withFreePorts(1, ports -> {
                TcpFabric d = fabric(new TcpFabricConfig(GROUP, 1, addr(ports[0]),
                        Map.of(0, addr(impostor.getLocalPort()))), loop(1), handler);
                startAll(List.of(d));
                return d;
            });

            try (Socket s = impostor.accept()) {
                byte[] got = new byte[hello(GROUP, 1).length];
                new DataInputStream(s.getInputStream()).readFully(got);
                assertThat(got).isEqualTo(hello(GROUP, 1));
                s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes());
                String expected = "handshake with node 0 at " + at
                        + " failed: not a Derecho peer: bad magic 0x48545450";
                await().until(() -> expected.equals(dialer.lastError(0)));
                assertThat(handler.linkDowns).containsExactly(new LinkDown(0, expected));
                assertThat(closedByPeer(s)).isTrue();
            }
            try (Socket s = impostor.accept()) {
                new DataInputStream(s.getInputStream()).readFully(new byte[hello(GROUP, 1).length]);
                s.getOutputStream().write(ByteBuffer.allocate(11).putInt(TcpFabric.MAGIC)
                        .putShort((short) 1).put((byte) 2).putInt(5).array());
                String expected = "handshake with node 0 at " + at + " failed: the node there is node 5";
                await().until(() -> expected.equals(dialer.lastError(0)));
                assertThat(handler.linkDowns).last().isEqualTo(new LinkDown(0, expected));
                assertThat(closedByPeer(s)).isTrue();
            }
            assertThat(dialer.connectedPeers()).isEmpty();
            assertThat(handler.frameCount.get()).isZero();
        }
    }
}
