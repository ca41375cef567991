package io.derecho.fabric.tcp;

import static io.derecho.fabric.tcp.TcpTestSupport.addr;
import static io.derecho.fabric.tcp.TcpTestSupport.startAll;
import static io.derecho.fabric.tcp.TcpTestSupport.withFreePorts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.derecho.fabric.tcp.RecordingHandler.Frame;
import io.derecho.fabric.tcp.RecordingHandler.LinkDown;
import io.netty.channel.EventLoop;
import java.io.DataInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Peers that change at run time: {@code addPeer}, {@code forget} and a rejoin with the same id,
 * frames queued for a peer whose link is not up yet, and the "not yet a member" refusal that a
 * dialer retries without reporting.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TcpFabricDynamicPeersTest extends TcpFabricTestBase {

    private static final int QUEUED = 200;

    private static TcpFabricConfig config(int id, InetSocketAddress listen, Map<Integer, InetSocketAddress> peers) {
        return new TcpFabricConfig(GROUP, id, listen, peers);
    }

    /** A frame whose first four bytes are {@code seq}, {@code size} bytes long (at least 4). */
    private static ByteBuffer frame(int seq, int size) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(4, size));
        b.putInt(0, seq);
        for (int i = 4; i < b.capacity(); i++) {
            b.put(i, (byte) (seq + i));
        }
        return b;
    }

    private static List<Integer> seqsFrom(RecordingHandler h, int from) {
        return h.frames.stream().filter(f -> f.from() == from)
                .map(f -> ByteBuffer.wrap(f.body()).getInt()).toList();
    }

    /**
     * Node 1 starts alone; addPeer brings in node 0 (lower id: node 1 dials it) and node 2 (higher
     * id: it dials node 1, and is refused for now until node 1 adds it). Both links carry frames
     * both ways, and adding the same peer again changes nothing.
     */
    /** Nodes 0 and 1, each knowing the other, started on free ports (their addresses go into {@code at}). */
    private TcpFabric[] startLinkedPair(RecordingHandler h0, RecordingHandler h1, InetSocketAddress[] at) throws Exception {
        return withFreePorts(2, ports -> {
            at[0] = addr(ports[0]);
            at[1] = addr(ports[1]);
            TcpFabric n0 = fabric(config(0, at[0], Map.of(1, at[1])), loop(0), h0);
            TcpFabric n1 = fabric(config(1, at[1], Map.of(0, at[0])), loop(1), h1);
            startAll(List.of(n0, n1));
            return new TcpFabric[] {n0, n1};
        });
    }

    @Test
    void addedPeersWithLowerAndHigherIdsLinkUp() throws Exception {
        RecordingHandler h0 = new RecordingHandler(loop(0));
        RecordingHandler h1 = new RecordingHandler(loop(1));
        RecordingHandler h2 = new RecordingHandler(loop(2));
        InetSocketAddress[] at = new InetSocketAddress[3];
        TcpFabric[] f = withFreePorts(3, ports -> {
            for (int i = 0; i < 3; i++) {
                at[i] = addr(ports[i]);
            }
            TcpFabric n0 = fabric(config(0, at[0], Map.of(1, at[1])), loop(0), h0);
            TcpFabric n1 = fabric(config(1, at[1], Map.of()), loop(1), h1);
            TcpFabric n2 = fabric(config(2, at[2], Map.of(1, at[1])), loop(2), h2);
            startAll(List.of(n1, n0, n2));
            return new TcpFabric[] {n0, n1, n2};
        });
        TcpFabric n1 = f[1];
        n1.allConnected().get(5, TimeUnit.SECONDS); // no initial peers

        runOnLoop(loop(1), () -> {
            n1.addPeer(0, at[0]);
            n1.addPeer(2, at[2]);
            n1.addPeer(0, at[0]);
        });
        CompletableFuture.allOf(f[0].allConnected(), f[2].allConnected()).get(5, TimeUnit.SECONDS);
        await().until(() -> n1.connectedPeers().equals(Set.of(0, 2)));
        assertLinkCarries(n1, loop(1), 1, 0, h0, (byte) 1);
        assertLinkCarries(f[0], loop(0), 0, 1, h1, (byte) 2);
        assertLinkCarries(n1, loop(1), 1, 2, h2, (byte) 3);
        assertLinkCarries(f[2], loop(2), 2, 1, h1, (byte) 4);

        runOnLoop(loop(1), () -> {
            n1.addPeer(0, at[0]);
            n1.addPeer(2, at[2]);
        });
        assertLinkCarries(n1, loop(1), 1, 0, h0, (byte) 5);
        assertThat(n1.connectedPeers()).containsExactlyInAnyOrder(0, 2);
        assertThat(h0.linkDowns).isEmpty();
        assertThat(h1.linkDowns).isEmpty();
        assertThat(h2.linkDowns).as("'not yet a member' is not reported").isEmpty();
        assertThat(h1.threadViolations).isEmpty();
    }

    /** Echoes every frame that is not itself an echo, the moment it arrives. */
    private static final class EchoingHandler extends RecordingHandler {
        static final int ECHO = 1_000_000;
        TcpFabric fabric;

        EchoingHandler(EventLoop loop) {
            super(loop);
        }

        @Override
        void handleFrame(int fromNodeId, ByteBuffer frame) {
            int seq = frame.getInt(frame.position());
            super.handleFrame(fromNodeId, frame);
            if (seq < ECHO) {
                fabric.send(fromNodeId, frame(ECHO + seq, 8));
                fabric.flush();
            }
        }
    }

    /**
     * Frames sent to a peer before its link is up, by the dialing node 1 (to an added peer) and by
     * the accepting node 0 (to an initial peer, before it even started), arrive complete and in
     * order once it is, before anything sent later: each node echoes every frame the moment it
     * receives it, and each still sees all the other's queued frames before any echo.
     */
    @Test
    void framesSentBeforeTheLinkIsUpArriveInOrderBeforeLaterOnes() throws Exception {
        EchoingHandler h0 = new EchoingHandler(loop(0));
        EchoingHandler h1 = new EchoingHandler(loop(1));
        InetSocketAddress[] at = new InetSocketAddress[2];
        TcpFabric n1 = withFreePorts(2, ports -> {
            at[0] = addr(ports[0]);
            at[1] = addr(ports[1]);
            h0.fabric = fabric(config(0, at[0], Map.of(1, at[1])), loop(0), h0);
            h1.fabric = fabric(config(1, at[1], Map.of()), loop(1), h1);
            startAll(List.of(h1.fabric));
            return h1.fabric;
        });
        TcpFabric n0 = h0.fabric;
        // Sizes up to 200 KiB, so each queue is written in more than one socket write.
        runOnLoop(loop(1), () -> {
            n1.addPeer(0, at[0]);
            for (int i = 0; i < QUEUED; i++) {
                n1.send(0, frame(i, (i % 5) * 50_000));
            }
            n1.flush();
        });
        runOnLoop(loop(0), () -> {
            for (int i = 0; i < QUEUED; i++) {
                n0.send(1, frame(i, (i % 3) * 70_000));
            }
            n0.flush();
        });
        assertThat(n1.droppedFrames()).isZero();
        assertThat(n0.droppedFrames()).isZero();

        startAll(List.of(n0));
        await().until(() -> h0.frames.size() == 2 * QUEUED && h1.frames.size() == 2 * QUEUED);
        runOnLoop(loop(1), () -> {
            n1.send(0, frame(QUEUED, 10));
            n1.flush();
        });
        await().until(() -> h0.frames.size() == 2 * QUEUED + 1);

        List<Integer> queued = IntStream.range(0, QUEUED).boxed().toList();
        List<Integer> echoes = IntStream.range(0, QUEUED).map(i -> EchoingHandler.ECHO + i).boxed().toList();
        List<Integer> at0 = seqsFrom(h0, 1);
        List<Integer> at1 = seqsFrom(h1, 0);
        assertThat(at0.subList(0, QUEUED)).as("node 1's queued frames come first").isEqualTo(queued);
        assertThat(at1.subList(0, QUEUED)).as("node 0's queued frames come first").isEqualTo(queued);
        assertThat(at0.subList(QUEUED, 2 * QUEUED)).isEqualTo(echoes);
        assertThat(at1.subList(QUEUED, 2 * QUEUED)).isEqualTo(echoes);
        assertThat(at0).last().isEqualTo(QUEUED);
        for (Frame fr : h0.frames) {
            int seq = ByteBuffer.wrap(fr.body()).getInt();
            int size = seq >= EchoingHandler.ECHO ? 8 : seq == QUEUED ? 10 : (seq % 5) * 50_000;
            assertThat(fr.body()).isEqualTo(frame(seq, size).array());
        }
        for (Frame fr : h1.frames) {
            int seq = ByteBuffer.wrap(fr.body()).getInt();
            assertThat(fr.body()).isEqualTo(frame(seq, seq >= EchoingHandler.ECHO ? 8 : (seq % 3) * 70_000).array());
        }
        assertThat(n1.droppedFrames()).isZero();
        assertThat(n0.droppedFrames()).isZero();
        assertThat(h0.linkDowns).isEmpty();
        assertThat(h1.linkDowns).isEmpty();
        assertThat(h0.threadViolations).isEmpty();
        assertThat(h1.threadViolations).isEmpty();
    }

    /**
     * A raw peer (node 2) sends its HELLO and a frame in one write; node 0 echoes that frame the
     * moment it arrives, which is inside the handshake. The raw peer must still read WELCOME, then
     * the frames node 0 queued for it, then the echo.
     */
    @Test
    void queuedFramesGoOutBeforeFramesSentWhileHandlingBytesThatCameWithTheHello() throws Exception {
        EchoingHandler h0 = new EchoingHandler(loop(0));
        TcpFabric n0 = withFreePorts(2, ports -> {
            h0.fabric = fabric(config(0, addr(ports[0]), Map.of(2, addr(ports[1]))), loop(0), h0);
            startAll(List.of(h0.fabric));
            return h0.fabric;
        });
        runOnLoop(loop(0), () -> {
            for (int i = 0; i < 3; i++) {
                n0.send(2, frame(i, 8));
            }
        });
        try (Socket raw = TcpTestSupport.connect(n0.boundPort())) {
            byte[] hello = TcpTestSupport.hello(GROUP, 2);
            raw.getOutputStream().write(ByteBuffer.allocate(hello.length + 12)
                    .put(hello).putInt(8).put(frame(77, 8)).array());
            assertThat(TcpTestSupport.readWelcome(raw)).isZero();
            DataInputStream in = new DataInputStream(raw.getInputStream());
            List<Integer> seqs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                byte[] body = new byte[in.readInt()];
                in.readFully(body);
                seqs.add(ByteBuffer.wrap(body).getInt());
            }
            assertThat(seqs).containsExactly(0, 1, 2, EchoingHandler.ECHO + 77);
        }
    }

    /**
     * 1 MiB frames to a peer that never comes up: the 64th would take the queue past 64 MiB, so the
     * queue is dropped (counted) and the peer reported unreachable once; later frames are dropped
     * without another report. When the peer finally comes up, only frames sent after that arrive.
     */
    @Test
    void queueOverflowDropsTheQueueAndReportsThePeerOnce() throws Exception {
        RecordingHandler h0 = new RecordingHandler(loop(0));
        RecordingHandler h1 = new RecordingHandler(loop(1));
        InetSocketAddress[] at = new InetSocketAddress[2];
        TcpFabric n0 = withFreePorts(2, ports -> {
            at[0] = addr(ports[0]);
            at[1] = addr(ports[1]);
            TcpFabric n = fabric(config(0, at[0], Map.of(1, at[1])), loop(0), h0);
            startAll(List.of(n));
            return n;
        });
        ByteBuffer mib = ByteBuffer.allocate(1024 * 1024);
        runOnLoop(loop(0), () -> {
            for (int i = 0; i < 70; i++) {
                n0.send(1, mib.duplicate());
            }
        });
        // The report is made after send() returns, by a task on the loop: this one runs after it.
        runOnLoop(loop(0), () -> { });
        assertThat(n0.droppedFrames()).isEqualTo(70);
        assertThat(h0.linkDowns).singleElement().satisfies(d -> {
            assertThat(d.nodeId()).isEqualTo(1);
            assertThat(d.reason()).isEqualTo("node 1 at " + TcpFabric.describe(at[1])
                    + " could not be reached: " + 64 * (4 + 1024 * 1024) + " bytes queued for it before"
                    + " its link came up exceed the limit of 67108864; dropped 64 frames");
        });
        assertThat(n0.lastError(1)).isEqualTo(h0.linkDowns.get(0).reason());

        runOnLoop(loop(0), () -> n0.send(1, frame(1, 4)));
        runOnLoop(loop(0), () -> { });
        assertThat(n0.droppedFrames()).isEqualTo(71);
        assertThat(h0.linkDowns).hasSize(1);

        TcpFabric n1 = fabric(config(1, at[1], Map.of(0, at[0])), loop(1), h1);
        n1.start();
        n0.allConnected().get(5, TimeUnit.SECONDS);
        assertLinkCarries(n0, loop(0), 0, 1, h1, (byte) 42);
        assertThat(h1.frames).extracting(Frame::body).containsExactly(new byte[] {42});
        assertThat(h0.linkDowns).hasSize(1);
    }

    /**
     * Node 1 (the dialer) leaves and a new process rejoins as node 1 on another port: node 0
     * forgets it, refuses the newcomer "not yet a member" (which it retries quietly) until node 0
     * adds it, and then the two are linked.
     */
    @Test
    void aForgottenDialerRejoiningWithTheSameIdOnANewPortIsLinkedAgain() throws Exception {
        RecordingHandler h0 = new RecordingHandler(loop(0));
        RecordingHandler h1 = new RecordingHandler(loop(1));
        InetSocketAddress[] at = new InetSocketAddress[2];
        TcpFabric[] f = startLinkedPair(h0, h1, at);
        TcpFabric n0 = f[0];
        CompletableFuture.allOf(n0.allConnected(), f[1].allConnected()).get(5, TimeUnit.SECONDS);
        f[1].close();
        await().until(() -> h0.linkDowns.size() == 1);
        runOnLoop(loop(0), () -> n0.forget(1, "node 1 left view 2"));

        RecordingHandler h1again = new RecordingHandler(loop(1));
        InetSocketAddress[] newAt = new InetSocketAddress[1];
        TcpFabric n1again = withFreePorts(1, ports -> {
            newAt[0] = addr(ports[0]);
            TcpFabric n = fabric(config(1, newAt[0], Map.of(0, at[0])), loop(1), h1again);
            startAll(List.of(n));
            return n;
        });
        String refusal = "refused by node 0: not yet a member: node id 1 is not a member of group 'g'"
                + " known to node 0";
        await().until(() -> refusal.equals(n1again.lastError(0)));
        runOnLoop(loop(0), () -> n0.addPeer(1, newAt[0]));

        n1again.allConnected().get(5, TimeUnit.SECONDS);
        await().until(() -> n0.connectedPeers().contains(1));
        assertLinkCarries(n1again, loop(1), 1, 0, h0, (byte) 1);
        assertLinkCarries(n0, loop(0), 0, 1, h1again, (byte) 2);
        assertThat(h1again.linkDowns).isEmpty();
        assertThat(h0.linkDowns).hasSize(1);
    }

    /**
     * Node 0 (the accepted one) leaves and rejoins on another port: node 1 forgets it (frames to
     * it are then dropped), adds it at its new address (frames to it are queued again) and dials
     * the new address.
     */
    @Test
    void aForgottenAcceptedPeerRejoiningOnANewPortIsDialedThere() throws Exception {
        RecordingHandler h0 = new RecordingHandler(loop(0));
        RecordingHandler h1 = new RecordingHandler(loop(1));
        InetSocketAddress[] at = new InetSocketAddress[2];
        TcpFabric[] f = startLinkedPair(h0, h1, at);
        TcpFabric n1 = f[1];
        CompletableFuture.allOf(f[0].allConnected(), n1.allConnected()).get(5, TimeUnit.SECONDS);
        f[0].close();
        await().until(() -> h1.linkDowns.size() == 1);
        runOnLoop(loop(1), () -> {
            n1.forget(0, "node 0 left view 2");
            n1.send(0, frame(-1, 4));
        });
        assertThat(n1.droppedFrames()).isEqualTo(1);

        RecordingHandler h0again = new RecordingHandler(loop(0));
        InetSocketAddress[] newAt = new InetSocketAddress[1];
        TcpFabric n0again = withFreePorts(1, ports -> {
            newAt[0] = addr(ports[0]);
            TcpFabric n = fabric(config(0, newAt[0], Map.of(1, at[1])), loop(0), h0again);
            startAll(List.of(n));
            return n;
        });
        runOnLoop(loop(1), () -> {
            n1.addPeer(0, newAt[0]);
            n1.send(0, frame(7, 4));
            n1.flush();
        });
        n0again.allConnected().get(5, TimeUnit.SECONDS);
        await().until(() -> seqsFrom(h0again, 1).equals(List.of(7)));
        assertThat(n1.droppedFrames()).isEqualTo(1);
        assertLinkCarries(n0again, loop(0), 0, 1, h1, (byte) 3);
        assertThat(h1.linkDowns).hasSize(1);
        assertThat(h0again.linkDowns).isEmpty();
    }

    /**
     * A joiner (node 2) dials node 0 before node 0 has added it: refused "not yet a member" again
     * and again, never reported to the joiner's core, and linked as soon as node 0 adds it.
     */
    @Test
    void notYetAMemberIsRetriedWithoutALinkDownUntilThePeerIsAdded() throws Exception {
        RecordingHandler h0 = new RecordingHandler(loop(0));
        RecordingHandler h2 = new RecordingHandler(loop(2));
        InetSocketAddress[] at = new InetSocketAddress[3];
        TcpFabric[] f = withFreePorts(3, ports -> {
            at[0] = addr(ports[0]);
            at[2] = addr(ports[2]);
            TcpFabric n0 = fabric(config(0, at[0], Map.of()), loop(0), h0);
            TcpFabric n2 = fabric(config(2, at[2], Map.of(0, at[0])), loop(2), h2);
            startAll(List.of(n0, n2));
            return new TcpFabric[] {n0, n2};
        });
        TcpFabric n0 = f[0];
        TcpFabric n2 = f[1];
        await().until(() -> n0.refusals().size() >= 3);
        assertThat(n0.refusals()).allSatisfy(r -> assertThat(r).endsWith(
                ": not yet a member: node id 2 is not a member of group 'g' known to node 0"));
        assertThat(n2.lastError(0)).startsWith("refused by node 0: " + TcpFabric.NOT_YET_A_MEMBER);
        assertThat(h2.linkDowns).isEmpty();

        runOnLoop(loop(0), () -> n0.addPeer(2, at[2]));
        n2.allConnected().get(5, TimeUnit.SECONDS);
        assertLinkCarries(n2, loop(2), 2, 0, h0, (byte) 1);
        assertLinkCarries(n0, loop(0), 0, 2, h2, (byte) 2);
        assertThat(h2.linkDowns).isEmpty();
        assertThat(h0.linkDowns).isEmpty();
    }

    /**
     * A joining node 1 that accepts any peer takes HELLOs from nodes 2 and 3 it does not know; those
     * stay peers (node 2 reconnects after its link is closed, also once the mode is off). The other
     * checks stay: a lower id, its own id, another group and a second connection are refused.
     */
    @Test
    void aNodeAcceptingAnyPeerTakesUnknownIdsButKeepsTheOtherChecks() throws Exception {
        RecordingHandler h1 = new RecordingHandler(loop(1));
        RecordingHandler h2 = new RecordingHandler(loop(2));
        RecordingHandler h3 = new RecordingHandler(loop(0));
        TcpFabric[] f = withFreePorts(3, ports -> {
            TcpFabric n1 = fabric(config(1, addr(ports[0]), Map.of()), loop(1), h1);
            runOnLoop(loop(1), () -> n1.acceptAnyPeer(true));
            TcpFabric n2 = fabric(config(2, addr(ports[1]), Map.of(1, addr(ports[0]))), loop(2), h2);
            TcpFabric n3 = fabric(config(3, addr(ports[2]), Map.of(1, addr(ports[0]))), loop(0), h3);
            startAll(List.of(n1, n2, n3));
            return new TcpFabric[] {n1, n2, n3};
        });
        TcpFabric n1 = f[0];
        CompletableFuture.allOf(f[1].allConnected(), f[2].allConnected()).get(5, TimeUnit.SECONDS);
        await().until(() -> n1.connectedPeers().equals(Set.of(2, 3)));
        assertLinkCarries(n1, loop(1), 1, 2, h2, (byte) 1);
        assertLinkCarries(f[1], loop(2), 2, 1, h1, (byte) 2);
        assertLinkCarries(n1, loop(1), 1, 3, h3, (byte) 3);

        assertRawHelloRefused(n1, GROUP, 0,
                "node id 0 must not dial node 1: members dial only lower ids, so node 1 dials it");
        assertRawHelloRefused(n1, GROUP, 1, "node id 1 is this node's own id");
        assertRawHelloRefused(n1, "other", 5, "group 'other' does not match this node's group 'g'");
        assertRawHelloRefused(n1, GROUP, 2,
                "node id 2 is already connected from " + TcpFabric.describe(n1.linkRemoteAddress(2)));

        runOnLoop(loop(1), () -> n1.acceptAnyPeer(false));
        assertRawHelloRefused(n1, GROUP, 4,
                "not yet a member: node id 4 is not a member of group 'g' known to node 1");
        runOnLoop(loop(1), () -> n1.disconnect(2, "test closes the link"));
        // Both ends must have the new link: frames to a peer whose link broke are dropped, not queued.
        await().until(() -> h2.linkDowns.size() == 1 && n1.connectedPeers().contains(2) && f[1].connectedPeers().contains(1));
        assertLinkCarries(f[1], loop(2), 2, 1, h1, (byte) 4);
        assertThat(h1.linkDowns).containsExactly(new LinkDown(2, "test closes the link"));
        assertThat(h3.linkDowns).isEmpty();
    }

    private static void assertRawHelloRefused(TcpFabric acceptor, String group, int id, String reason)
            throws Exception {
        try (var raw = TcpTestSupport.connect(acceptor.boundPort())) {
            raw.getOutputStream().write(TcpTestSupport.hello(group, id));
            assertThat(TcpTestSupport.readReject(raw)).isEqualTo(reason);
        }
    }

    /**
     * Lowering maxFrameBytes at run time applies to send() and to the link already up: a larger
     * frame from the peer closes it. Raising it again lets the redialed link carry that frame.
     */
    @Test
    void setMaxFrameBytesAppliesToSendAndToLinksAlreadyUp() throws Exception {
        RecordingHandler h0 = new RecordingHandler(loop(0));
        RecordingHandler h1 = new RecordingHandler(loop(1));
        TcpFabric[] f = startLinkedPair(h0, h1, new InetSocketAddress[2]);
        TcpFabric n0 = f[0];
        TcpFabric n1 = f[1];
        CompletableFuture.allOf(n0.allConnected(), n1.allConnected()).get(5, TimeUnit.SECONDS);
        assertThat(n0.maxFrameBytes()).isEqualTo(TcpFabricConfig.DEFAULT_MAX_FRAME_BYTES);

        Throwable tooBig = callOnLoop(loop(0), () -> {
            n0.setMaxFrameBytes(8);
            try {
                n0.send(1, ByteBuffer.allocate(9));
                return null;
            } catch (IllegalArgumentException e) {
                return e;
            }
        });
        assertThat(tooBig).hasMessage("frame of 9 bytes to node 1 exceeds maxFrameBytes 8");
        assertThat(n0.maxFrameBytes()).isEqualTo(8);
        assertLinkCarries(n0, loop(0), 0, 1, h1, new byte[8]);

        runOnLoop(loop(1), () -> {
            n1.send(0, ByteBuffer.allocate(9));
            n1.flush();
        });
        await().until(() -> !h0.linkDowns.isEmpty());
        assertThat(h0.linkDowns).containsExactly(
                new LinkDown(1, "frame of 9 bytes from node 1 exceeds maxFrameBytes 8"));
        assertThat(h0.frames).noneMatch(fr -> fr.body().length == 9);

        await().until(() -> !h1.linkDowns.isEmpty());
        runOnLoop(loop(0), () -> n0.setMaxFrameBytes(16));
        await().until(() -> n0.connectedPeers().contains(1) && n1.connectedPeers().contains(0));
        assertLinkCarries(n1, loop(1), 1, 0, h0, new byte[9]);

        assertThatThrownBy(() -> runOnLoop(loop(0), () -> n0.setMaxFrameBytes(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxFrameBytes of node 0 of group 'g' must be between 1 and 2147483643, was 0");
        assertThatThrownBy(() -> n0.setMaxFrameBytes(100))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("TcpFabric.setMaxFrameBytes must be called on the fabric's event loop");
        assertThat(n0.maxFrameBytes()).isEqualTo(16);
    }

    @Test
    void addPeerRefusesItsOwnIdANegativeIdAndCallsOffTheLoop() throws Exception {
        TcpFabric n0 = fabric(config(0, addr(1), Map.of()), loop(0), new RecordingHandler(loop(0)));
        EventLoop loop = loop(0);
        assertThatThrownBy(() -> runOnLoop(loop, () -> n0.addPeer(0, addr(2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot add node 0 at /127.0.0.1:2 as a peer of node 0 of group 'g':"
                        + " that is this node's own id");
        assertThatThrownBy(() -> runOnLoop(loop, () -> n0.addPeer(-1, addr(2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith(": node ids are >= 0");
        assertThatThrownBy(() -> n0.addPeer(1, addr(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("TcpFabric.addPeer must be called on the fabric's event loop");
        assertThatThrownBy(() -> n0.acceptAnyPeer(true))
                .isInstanceOf(IllegalStateException.class);
    }
}
