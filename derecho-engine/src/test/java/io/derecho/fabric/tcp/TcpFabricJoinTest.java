package io.derecho.fabric.tcp;

import static io.derecho.fabric.tcp.TcpTestSupport.addr;
import static io.derecho.fabric.tcp.TcpTestSupport.closedByPeer;
import static io.derecho.fabric.tcp.TcpTestSupport.connect;
import static io.derecho.fabric.tcp.TcpTestSupport.readReject;
import static io.derecho.fabric.tcp.TcpTestSupport.startAll;
import static io.derecho.fabric.tcp.TcpTestSupport.withFreePorts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The join channel: a process that is not a member sends JOIN to a member's listen port with
 * {@link TcpFabric#join}; the member refuses it (wrong group, no {@link JoinService}, oversize) or
 * hands it to its JoinService, which answers with one or more replies on a connection that is
 * neither a link nor subject to the handshake timeout.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TcpFabricJoinTest extends TcpFabricTestBase {

    private static final Duration SHORT_HANDSHAKE_TIMEOUT = Duration.ofMillis(200);

    /** The joiner's view of one attempt: replies and the close reason, with thread checks. */
    static final class JoinProbe {
        final EventLoop loop;
        final Queue<String> replies = new ConcurrentLinkedQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        final AtomicInteger closedCalls = new AtomicInteger();
        final Queue<String> threadViolations = new ConcurrentLinkedQueue<>();

        JoinProbe(EventLoop loop) {
            this.loop = loop;
        }

        JoinAttempt join(InetSocketAddress contact, String group, byte[] payload) {
            return TcpFabric.join(loop, contact, group, payload, reply -> {
                check("onReply");
                replies.add(new String(reply, StandardCharsets.UTF_8));
            }, reason -> {
                check("onClosed");
                closedCalls.incrementAndGet();
                closed.complete(reason);
            });
        }

        String closeReason() throws Exception {
            return closed.get(5, TimeUnit.SECONDS);
        }

        private void check(String what) {
            if (!loop.inEventLoop()) {
                threadViolations.add(what + " on " + Thread.currentThread().getName());
            }
        }
    }

    record Request(byte[] payload, JoinChannel channel) {
    }

    /** A JoinService that keeps every request for the test to answer. */
    static final class RecordingJoinService implements JoinService {
        final EventLoop loop;
        final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
        final Queue<String> threadViolations = new ConcurrentLinkedQueue<>();

        RecordingJoinService(EventLoop loop) {
            this.loop = loop;
        }

        @Override
        public void onJoinRequest(byte[] payload, JoinChannel channel) {
            if (!loop.inEventLoop()) {
                threadViolations.add("onJoinRequest on " + Thread.currentThread().getName());
            }
            requests.add(new Request(payload, channel));
        }

        Request next() throws InterruptedException {
            Request r = requests.poll(5, TimeUnit.SECONDS);
            assertThat(r).as("a join request within 5 s").isNotNull();
            return r;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Node 0, alone in its group, with {@code service} (may be null) and a 200 ms handshake timeout. */
    private TcpFabric member(JoinService service) throws Exception {
        return withFreePorts(1, ports -> {
            TcpFabric n0 = fabric(new TcpFabricConfig(GROUP, 0, addr(ports[0]), Map.of()), loop(0),
                    new RecordingHandler(loop(0)), SHORT_HANDSHAKE_TIMEOUT);
            n0.joinService(service);
            startAll(List.of(n0));
            return n0;
        });
    }

    private static InetSocketAddress at(TcpFabric f) {
        return addr(f.boundPort());
    }

    @Test
    void joinForAnotherGroupIsRejectedWithTheReason() throws Exception {
        RecordingJoinService service = new RecordingJoinService(loop(0));
        TcpFabric n0 = member(service);
        JoinProbe probe = new JoinProbe(loop(2));
        probe.join(at(n0), "other", utf8("node 5 at 10.0.0.5:7000"));
        String reason = "group 'other' does not match this node's group 'g'";
        assertThat(probe.closeReason()).isEqualTo("rejected: " + reason);
        assertThat(probe.replies).isEmpty();
        assertThat(service.requests).isEmpty();
        await().until(() -> n0.refusals().stream().anyMatch(r -> r.endsWith(": " + reason)));
        assertThat(probe.threadViolations).isEmpty();
    }

    @Test
    void joinToANodeWithoutAJoinServiceIsRejected() throws Exception {
        TcpFabric n0 = member(null);
        JoinProbe probe = new JoinProbe(loop(2));
        probe.join(at(n0), GROUP, utf8("hi"));
        assertThat(probe.closeReason()).isEqualTo("rejected: node 0 does not accept joins");
    }

    /**
     * The service answers "pending" at once and "welcome" (last) well after the 200 ms handshake
     * timeout: the joiner sees both, in order, then the close; the member's close task runs; the
     * connection never counted as a link.
     */
    @Test
    void serviceRepliesTwiceAndTheJoinerSeesBothRepliesThenTheClose() throws Exception {
        RecordingJoinService service = new RecordingJoinService(loop(0));
        TcpFabric n0 = member(service);
        JoinProbe probe = new JoinProbe(loop(2));
        probe.join(at(n0), GROUP, utf8("node 5 at 10.0.0.5:7000"));

        Request request = service.next();
        JoinChannel channel = request.channel();
        assertThat(new String(request.payload(), StandardCharsets.UTF_8)).isEqualTo("node 5 at 10.0.0.5:7000");
        assertThat(channel.remote()).matches("/127\\.0\\.0\\.1:\\d+");
        assertThat(channel.isOpen()).isTrue();
        channel.reply(utf8("pending"), false); // off the loop: handed to it
        await().until(() -> probe.replies.contains("pending"));

        await().during(Duration.ofMillis(3 * SHORT_HANDSHAKE_TIMEOUT.toMillis()))
                .until(() -> channel.isOpen() && !probe.closed.isDone());
        assertThat(n0.connectedPeers()).isEmpty();
        assertThat(n0.refusals()).isEmpty();

        CompletableFuture<Boolean> closeTaskRan = new CompletableFuture<>();
        runOnLoop(loop(0), () -> {
            channel.onClose(() -> closeTaskRan.complete(loop(0).inEventLoop()));
            channel.reply(utf8("welcome"), true);
            assertThat(channel.isOpen()).isFalse();
            channel.reply(utf8("ignored"), true);
        });
        assertThat(probe.closeReason()).isEqualTo("closed");
        assertThat(probe.replies).containsExactly("pending", "welcome");
        assertThat(closeTaskRan.get(5, TimeUnit.SECONDS)).as("close task ran on the loop").isTrue();

        CompletableFuture<Boolean> lateTaskRan = new CompletableFuture<>();
        runOnLoop(loop(0), () -> channel.onClose(() -> lateTaskRan.complete(true)));
        assertThat(lateTaskRan.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(probe.closedCalls.get()).isEqualTo(1);
        assertThat(probe.threadViolations).isEmpty();
        assertThat(service.threadViolations).isEmpty();
        assertThat(n0.connectedPeers()).isEmpty();
    }

    @Test
    void joinPayloadOverTheLimitIsRefusedOnBothSidesAndOneAtTheLimitGoesThrough() throws Exception {
        JoinProbe probe = new JoinProbe(loop(2));
        assertThatThrownBy(() -> probe.join(addr(1), GROUP, new byte[TcpFabric.MAX_JOIN_BYTES + 1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("join payload of 1048577 bytes exceeds the limit of 1048576 bytes");

        RecordingJoinService service = new RecordingJoinService(loop(0));
        TcpFabric n0 = member(service);
        try (Socket raw = connect(n0.boundPort())) {
            ByteBuf join = Unpooled.buffer();
            HandshakeCodec.writeJoin(join, GROUP, new byte[0]);
            join.setInt(join.writerIndex() - 4, TcpFabric.MAX_JOIN_BYTES + 1);
            raw.getOutputStream().write(ByteBufUtil.getBytes(join));
            assertThat(readReject(raw))
                    .isEqualTo("JOIN payload of 1048577 bytes exceeds the limit of 1048576 bytes");
            assertThat(closedByPeer(raw)).isTrue();
        }
        assertThat(service.requests).isEmpty();

        byte[] atLimit = new byte[TcpFabric.MAX_JOIN_BYTES];
        atLimit[atLimit.length - 1] = 7;
        probe.join(at(n0), GROUP, atLimit);
        assertThat(service.next().payload()).isEqualTo(atLimit);
    }

    @Test
    void joinerCancellingRunsTheMembersCloseTasks() throws Exception {
        RecordingJoinService service = new RecordingJoinService(loop(0));
        TcpFabric n0 = member(service);
        JoinProbe probe = new JoinProbe(loop(2));
        JoinAttempt attempt = probe.join(at(n0), GROUP, utf8("x"));
        JoinChannel channel = service.next().channel();
        CompletableFuture<Void> closeTaskRan = new CompletableFuture<>();
        channel.onClose(() -> closeTaskRan.complete(null));

        attempt.cancel();
        assertThat(probe.closeReason()).isEqualTo("cancelled");
        closeTaskRan.get(5, TimeUnit.SECONDS);
        assertThat(channel.isOpen()).isFalse();
        assertThat(attempt.isOpen()).isFalse();
        attempt.cancel();
        assertThat(probe.closedCalls.get()).isEqualTo(1);
    }

    @Test
    void closingTheFabricClosesJoinConnectionsItHolds() throws Exception {
        RecordingJoinService service = new RecordingJoinService(loop(0));
        TcpFabric n0 = member(service);
        JoinProbe probe = new JoinProbe(loop(2));
        probe.join(at(n0), GROUP, utf8("x"));
        JoinChannel channel = service.next().channel();
        CompletableFuture<Void> closeTaskRan = new CompletableFuture<>();
        channel.onClose(() -> closeTaskRan.complete(null));

        n0.close();
        assertThat(probe.closeReason()).isEqualTo("closed");
        closeTaskRan.get(5, TimeUnit.SECONDS);
    }

    @Test
    void joinToAPortNobodyListensOnReportsTheConnectFailure() throws Exception {
        int port = TcpTestSupport.freePorts(1)[0];
        JoinProbe probe = new JoinProbe(loop(2));
        probe.join(addr(port), GROUP, utf8("x"));
        assertThat(probe.closeReason()).startsWith("cannot connect to /127.0.0.1:" + port + ": ")
                .containsIgnoringCase("refused");
        assertThat(probe.closedCalls.get()).isEqualTo(1);
    }

    /** The joiner has nothing to say after its JOIN: bytes that follow close the connection. */
    @Test
    void bytesAfterTheJoinCloseTheConnection() throws Exception {
        RecordingJoinService service = new RecordingJoinService(loop(0));
        TcpFabric n0 = member(service);
        try (Socket raw = connect(n0.boundPort())) {
            ByteBuf join = Unpooled.buffer();
            HandshakeCodec.writeJoin(join, GROUP, utf8("x"));
            raw.getOutputStream().write(ByteBufUtil.getBytes(join));
            JoinChannel channel = service.next().channel();
            CompletableFuture<Void> closeTaskRan = new CompletableFuture<>();
            channel.onClose(() -> closeTaskRan.complete(null));
            assertThat(channel.isOpen()).isTrue();

            raw.getOutputStream().write(ByteBuffer.allocate(5).putInt(1).put((byte) 9).array());
            closeTaskRan.get(5, TimeUnit.SECONDS);
            assertThat(closedByPeer(raw)).isTrue();
        }
        assertThat(n0.connectedPeers()).isEmpty();
    }

    @Test
    void aFailingJoinServiceClosesTheConnection() throws Exception {
        TcpFabric n0 = member((payload, channel) -> {
            throw new IllegalStateException("membership is not ready");
        });
        JoinProbe probe = new JoinProbe(loop(2));
        probe.join(at(n0), GROUP, utf8("x"));
        assertThat(probe.closeReason()).isEqualTo("closed");
        assertThat(probe.replies).isEmpty();
    }
}
