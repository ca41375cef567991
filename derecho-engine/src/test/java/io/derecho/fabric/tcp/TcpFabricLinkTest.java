package io.derecho.fabric.tcp;

import static io.derecho.fabric.tcp.TcpTestSupport.addr;
import static io.derecho.fabric.tcp.TcpTestSupport.startAll;
import static io.derecho.fabric.tcp.TcpTestSupport.withFreePorts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.derecho.fabric.tcp.RecordingHandler.LinkDown;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Link lifecycle: breaking, reconnecting, and the guards on the public API. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TcpFabricLinkTest extends TcpFabricTestBase {

    /**
     * Node 1 dials node 0. Closing node 0 gives node 1 exactly one onLinkDown; a new node 0 on the
     * same port is redialed; closing node 1 then gives the new node 0 exactly one onLinkDown.
     */
    @Test
    void brokenLinkIsReportedOnceAndTheDialerReconnects() throws Exception {
        RecordingHandler h0 = new RecordingHandler(loop(0));
        RecordingHandler h1 = new RecordingHandler(loop(1));
        TcpFabricConfig[] configs = new TcpFabricConfig[2];
        TcpFabric[] f = withFreePorts(2, ports -> {
            configs[0] = new TcpFabricConfig(GROUP, 0, addr(ports[0]), Map.of(1, addr(ports[1])));
            configs[1] = new TcpFabricConfig(GROUP, 1, addr(ports[1]), Map.of(0, addr(ports[0])));
            TcpFabric n0 = fabric(configs[0], loop(0), h0);
            TcpFabric n1 = fabric(configs[1], loop(1), h1);
            startAll(List.of(n0, n1));
            return new TcpFabric[] {n0, n1};
        });
        TcpFabric n0 = f[0];
        TcpFabric n1 = f[1];
        CompletableFuture.allOf(n0.allConnected(), n1.allConnected()).get(5, TimeUnit.SECONDS);
        assertLinkCarries(n1, loop(1), 1, 0, h0, (byte) 1);

        n0.close();
        await().until(() -> !h1.linkDowns.isEmpty());
        String port0 = "/127.0.0.1:" + configs[0].listenAddress().getPort();
        assertThat(h1.linkDowns).containsExactly(new LinkDown(0, "connection to node 0 at " + port0 + " closed"));
        assertThat(n1.connectedPeers()).isEmpty();
        assertThat(h0.linkDowns).as("a fabric does not report its own close").isEmpty();

        RecordingHandler h0again = new RecordingHandler(loop(0));
        TcpFabric n0again = fabric(configs[0], loop(0), h0again);
        n0again.start();
        n0again.allConnected().get(5, TimeUnit.SECONDS);
        await().until(() -> n1.connectedPeers().contains(0));
        assertLinkCarries(n1, loop(1), 1, 0, h0again, (byte) 2);
        assertLinkCarries(n0again, loop(0), 0, 1, h1, (byte) 3);
        assertThat(h1.linkDowns).hasSize(1);

        n1.close();
        await().until(() -> !h0again.linkDowns.isEmpty());
        await().during(Duration.ofMillis(300)).until(() -> h0again.linkDowns.size() == 1);
        assertThat(h0again.linkDowns).singleElement().satisfies(d -> {
            assertThat(d.nodeId()).isEqualTo(1);
            assertThat(d.reason()).matches("connection to node 1 at /127\\.0\\.0\\.1:\\d+ closed");
        });
        assertThat(h1.linkDowns).hasSize(1);
        assertThat(h0.threadViolations).isEmpty();
        assertThat(h0again.threadViolations).isEmpty();
        assertThat(h1.threadViolations).isEmpty();
    }

    @Test
    void disconnectClosesTheLinkWithTheGivenReasonAndTheDialerComesBack() throws Exception {
        RecordingHandler h0 = new RecordingHandler(loop(0));
        RecordingHandler h1 = new RecordingHandler(loop(1));
        TcpFabric[] f = withFreePorts(2, ports -> {
            TcpFabric n0 = fabric(new TcpFabricConfig(GROUP, 0, addr(ports[0]),
                    Map.of(1, addr(ports[1]))), loop(0), h0);
            TcpFabric n1 = fabric(new TcpFabricConfig(GROUP, 1, addr(ports[1]),
                    Map.of(0, addr(ports[0]))), loop(1), h1);
            startAll(List.of(n0, n1));
            return new TcpFabric[] {n0, n1};
        });
        CompletableFuture.allOf(f[0].allConnected(), f[1].allConnected()).get(5, TimeUnit.SECONDS);

        loop(0).execute(() -> f[0].disconnect(1, "no heartbeat from node 1 for 2000 ms"));
        await().until(() -> !h0.linkDowns.isEmpty() && !h1.linkDowns.isEmpty());
        assertThat(h0.linkDowns).containsExactly(new LinkDown(1, "no heartbeat from node 1 for 2000 ms"));
        assertThat(h1.linkDowns).singleElement().extracting(LinkDown::nodeId).isEqualTo(0);
        await().until(() -> f[0].connectedPeers().contains(1) && f[1].connectedPeers().contains(0));
        assertLinkCarries(f[0], loop(0), 0, 1, h1, (byte) 4);
    }

    @Test
    void startFailsClearlyWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, TcpTestSupport.LOOPBACK)) {
            TcpFabric fabric = fabric(new TcpFabricConfig(GROUP, 0, addr(taken.getLocalPort()), Map.of()),
                    loop(0), new RecordingHandler(loop(0)));
            assertThatThrownBy(fabric::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("node 0 of group 'g' cannot listen on /127.0.0.1:" + taken.getLocalPort()
                            + ": the address is already in use (is another node or process listening there?)");
        }
    }

    @Test
    void sendOffTheLoopIsRefusedAndSendToANodeThatIsNotAPeerIsDroppedAndCounted() throws Exception {
        TcpFabric fabric = withFreePorts(2, ports -> {
            TcpFabric n0 = fabric(new TcpFabricConfig(GROUP, 0, addr(ports[0]),
                    Map.of(1, addr(ports[1])), 16), loop(0), new RecordingHandler(loop(0)));
            startAll(List.of(n0));
            return n0;
        });
        assertThatThrownBy(() -> fabric.send(1, ByteBuffer.allocate(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("TcpFabric.send must be called on the fabric's event loop, not on thread");
        assertThatThrownBy(fabric::flush).isInstanceOf(IllegalStateException.class);

        CompletableFuture<Throwable> tooBig = new CompletableFuture<>();
        loop(0).execute(() -> {
            fabric.send(1, ByteBuffer.allocate(3)); // queued until node 1's link comes up
            fabric.send(5, ByteBuffer.allocate(3)); // not a peer: dropped
            fabric.flush();
            try {
                fabric.send(1, ByteBuffer.allocate(17));
                tooBig.complete(null);
            } catch (RuntimeException e) {
                tooBig.complete(e);
            }
        });
        assertThat(tooBig.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("frame of 17 bytes to node 1 exceeds maxFrameBytes 16");
        assertThat(fabric.droppedFrames()).isEqualTo(1);
        assertThat(fabric.isWritable(1)).isFalse();
        assertThat(fabric.allConnected()).isNotDone();

        fabric.close();
        assertThatThrownBy(() -> fabric.allConnected().get())
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("was closed before all peers connected");
        assertThatThrownBy(fabric::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aGroupOfOneIsConnectedAtOnce() throws Exception {
        TcpFabric fabric = withFreePorts(1, ports -> {
            TcpFabric n0 = fabric(new TcpFabricConfig(GROUP, 0, addr(ports[0]), Map.of()),
                    loop(0), new RecordingHandler(loop(0)));
            startAll(List.of(n0));
            return n0;
        });
        fabric.allConnected().get(5, TimeUnit.SECONDS);
        assertThat(fabric.connectedPeers()).isEmpty();
        assertThat(fabric.boundPort()).isPositive();
    }
}
