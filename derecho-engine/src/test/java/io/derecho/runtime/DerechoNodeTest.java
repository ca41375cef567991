package io.derecho.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.derecho.config.BlockScheduleKind;
import io.derecho.config.GroupConfig;
import io.derecho.config.Profile;
import io.derecho.config.ShardSpec;
import io.derecho.fabric.InboundHandler;
import io.derecho.fabric.tcp.TcpFabric;
import io.derecho.fabric.tcp.TcpFabricConfig;
import io.derecho.multicast.MessageTooLargeException;
import io.derecho.testing.ProcessCluster;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Members in one JVM over real TCP: delivery, and what happens with bad frames and oversize messages. */
class DerechoNodeTest {

    private static GroupConfig config(int[] ports) {
        return GroupConfig.builder("node-test")
                .member(0, "127.0.0.1", ports[0]).member(1, "127.0.0.1", ports[1])
                .profile(new Profile("p", 8, 64, 4096, 1024, 2, BlockScheduleKind.CHAIN))
                .subgroup("s", new ShardSpec(List.of(0, 1), null, null, "p"))
                .build();
    }

    @Test
    @Timeout(60)
    void twoMembersDeliverSmallAndLargeMessagesInTheSameOrder() throws Exception {
        GroupConfig config = config(ProcessCluster.freePorts(2));
        List<String> at0 = new CopyOnWriteArrayList<>();
        List<String> at1 = new CopyOnWriteArrayList<>();
        try (DerechoNode n0 = DerechoNode.start(config, 0, (sg, sh, from, i, p, v) -> at0.add(from + ":" + i + ":" + p.remaining()));
             DerechoNode n1 = DerechoNode.start(config, 1, (sg, sh, from, i, p, v) -> at1.add(from + ":" + i + ":" + p.remaining()))) {
            n0.awaitReady(Duration.ofSeconds(20));
            n1.awaitReady(Duration.ofSeconds(20));
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 200; i++) {
                        n1.sender(0, 0).send(new byte[i % 7 == 0 ? 3000 : 10]);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int i = 0; i < 200; i++) {
                n0.sender(0, 0).send(new byte[i % 5 == 0 ? 4096 : 64]);
            }
            t.join();
            await().atMost(30, TimeUnit.SECONDS).until(() -> at0.size() == 400 && at1.size() == 400);
            assertThat(at0).containsExactlyElementsOf(at1);
            assertThat(at0).contains("0:0:4096", "1:0:3000", "0:199:64");
        }
    }

    @Test
    @Timeout(60)
    void aMemberLeavesCleanlyAfterItsMessagesAreDelivered() throws Exception {
        int[] ports = ProcessCluster.freePorts(3);
        GroupConfig config = GroupConfig.builder("leave-test")
                .member(0, "127.0.0.1", ports[0]).member(1, "127.0.0.1", ports[1]).member(2, "127.0.0.1", ports[2])
                .subgroup("s", new ShardSpec(List.of(0, 1, 2), null, null, null))
                .build();
        List<String> at0 = new CopyOnWriteArrayList<>();
        List<String> at1 = new CopyOnWriteArrayList<>();
        List<String> views0 = new CopyOnWriteArrayList<>();
        try (DerechoNode n0 = DerechoNode.start(config, 0, (sg, sh, from, i, p, v) -> at0.add(from + ":" + i),
                io.derecho.membership.MembershipSettings.defaults(), view -> views0.add(view.toString()));
             DerechoNode n1 = DerechoNode.start(config, 1, (sg, sh, from, i, p, v) -> at1.add(from + ":" + i));
             DerechoNode n2 = DerechoNode.start(config, 2, (sg, sh, from, i, p, v) -> { })) {
            for (DerechoNode n : List.of(n0, n1, n2)) {
                n.awaitReady(Duration.ofSeconds(20));
            }
            for (int i = 0; i < 500; i++) {
                n2.sender(0, 0).send(new byte[100]);
            }
            n2.leave(Duration.ofSeconds(20));
            assertThat(n2.stoppedReason()).contains("left the group cleanly");
            await().atMost(20, TimeUnit.SECONDS).until(() -> n0.view().id() == 1 && n1.view().id() == 1);
            assertThat(n0.view().members()).containsExactly(0, 1);
            assertThat(n0.stoppedReason()).isNull();
            assertThat(at0.stream().filter(d -> d.startsWith("2:")).count()).as("node 2's messages at node 0").isEqualTo(500);
            assertThat(at1.stream().filter(d -> d.startsWith("2:")).count()).as("node 2's messages at node 1").isEqualTo(500);
            assertThat(views0).containsExactly("view 0 [0, 1, 2]", "view 1 [0, 1] (left: [2])");
            n0.sender(0, 0).send(new byte[10]);
            await().atMost(20, TimeUnit.SECONDS).until(() -> at1.contains("0:0"));
        }
    }

    @Test
    @Timeout(60)
    void aReportedFailureRemovesTheMember() throws Exception {
        int[] ports = ProcessCluster.freePorts(3);
        GroupConfig config = GroupConfig.builder("report-test")
                .member(0, "127.0.0.1", ports[0]).member(1, "127.0.0.1", ports[1]).member(2, "127.0.0.1", ports[2])
                .subgroup("s", new ShardSpec(List.of(0, 1, 2), null, null, null))
                .build();
        try (DerechoNode n0 = DerechoNode.start(config, 0, (sg, sh, from, i, p, v) -> { });
             DerechoNode n1 = DerechoNode.start(config, 1, (sg, sh, from, i, p, v) -> { });
             DerechoNode n2 = DerechoNode.start(config, 2, (sg, sh, from, i, p, v) -> { })) {
            for (DerechoNode n : List.of(n0, n1, n2)) {
                n.awaitReady(Duration.ofSeconds(20));
            }
            n1.reportFailure(2);
            await().atMost(20, TimeUnit.SECONDS).until(() -> n0.view().id() == 1 && n1.view().id() == 1
                    && n2.stoppedReason() != null);
            assertThat(n0.view().members()).containsExactly(0, 1);
            assertThat(n2.stoppedReason()).contains("node 2 was removed from view 0");
        }
    }

    @Test
    @Timeout(60)
    void oversizeMessageIsRefusedWithAClearError() throws Exception {
        GroupConfig config = config(ProcessCluster.freePorts(2));
        try (DerechoNode n0 = DerechoNode.start(config, 0, (sg, sh, from, i, p, v) -> { })) {
            assertThatThrownBy(() -> n0.sender(0, 0).send(new byte[4097]))
                    .isInstanceOf(MessageTooLargeException.class)
                    .hasMessage("message of 4097 bytes exceeds maxPayload 4096 of profile 'p' (subgroup s, shard 0)");
        }
    }

    @Test
    @Timeout(60)
    void malformedFrameFromAPeerClosesItsLinkWithAClearError() throws Exception {
        int[] ports = ProcessCluster.freePorts(2);
        GroupConfig config = config(ports);
        EventLoopGroup group = TcpFabric.newLoopGroup("rogue");
        List<String> rogueLinkDown = new CopyOnWriteArrayList<>();
        try (DerechoNode n0 = DerechoNode.start(config, 0, (sg, sh, from, i, p, v) -> { })) {
            EventLoop loop = group.next();
            TcpFabric rogue = new TcpFabric(new TcpFabricConfig("node-test", 1, new InetSocketAddress("127.0.0.1", ports[1]),
                    Map.of(0, new InetSocketAddress("127.0.0.1", ports[0])), 1 << 20), loop, new InboundHandler() {
                        @Override
                        public void onFrame(int fromNodeId, ByteBuffer frame) {
                        }

                        @Override
                        public void onBatchEnd() {
                        }

                        @Override
                        public void onLinkDown(int nodeId, String reason) {
                            rogueLinkDown.add(reason);
                        }
                    });
            rogue.start();
            rogue.allConnected().get(20, TimeUnit.SECONDS);
            loop.execute(() -> {
                rogue.send(0, ByteBuffer.wrap(new byte[] {9, 1, 2, 3}));
                rogue.flush();
            });
            await().atMost(20, TimeUnit.SECONDS).until(() -> !n0.protocolErrors().isEmpty() && !rogueLinkDown.isEmpty());
            assertThat(n0.protocolErrors()).containsExactly("malformed frame from node 1: unknown frame type 9 from node 1");
            rogue.close();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
