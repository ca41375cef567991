package io.derecho.multicast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.derecho.config.BlockScheduleKind;
import io.derecho.config.GroupConfig;
import io.derecho.config.Profile;
import io.derecho.config.ShardSpec;
import io.derecho.sst.MalformedFrameException;
import io.derecho.testing.CapturingEnvironment;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MulticastFramesTest {
    private final GroupConfig config = GroupConfig.builder("g")
            .member(0, "127.0.0.1", 1).member(1, "127.0.0.1", 2).member(2, "127.0.0.1", 3)
            .profile(new Profile("p", 4, 64, 4096, 1024, 2, BlockScheduleKind.SEQUENTIAL))
            .subgroup("s", new ShardSpec(List.of(0, 1, 2), null, null, "p"))
            .build();
    private final GroupLayout layout = GroupLayout.fromConfig(config);
    private final CapturingEnvironment env = new CapturingEnvironment();
    private final MulticastGroup node0 = new MulticastGroup(layout, 0, env, b -> { });

    @Test
    void unknownAndTruncatedFramesAreRefusedClearly() {
        assertThatThrownBy(() -> node0.onFrame(1, ByteBuffer.wrap(new byte[] {9})))
                .isInstanceOf(MalformedFrameException.class).hasMessage("unknown frame type 9 from node 1");
        assertThatThrownBy(() -> node0.onFrame(1, ByteBuffer.wrap(new byte[] {2, 0, 0})))
                .hasMessage("truncated frame from node 1");
    }

    @Test
    void blocksOutsideTheLayoutOrWindowAreRefused() {
        assertThatThrownBy(() -> node0.onFrame(1, block(0, 3, 1, 0, 2000, 0, 1024)))
                .hasMessage("block from node 1 for shard 3, which this node is not a member of");
        assertThatThrownBy(() -> node0.onFrame(1, block(5, 0, 1, 0, 2000, 0, 1024)))
                .hasMessage("block for view 5 from node 1 in view 0");
        assertThatThrownBy(() -> node0.onFrame(1, block(0, 0, 1, 4, 2000, 0, 1024)))
                .hasMessage("block of message 4 from node 1 is outside the receive window [0, 4)");
        assertThatThrownBy(() -> node0.onFrame(1, block(0, 0, 1, 0, 9999, 0, 1024)))
                .hasMessage("block from node 1 announces a message of 9999 bytes, outside (maxSmcPayload, maxPayload] of profile p");
        assertThatThrownBy(() -> node0.onFrame(1, block(0, 0, 1, 0, 2000, 1, 100)))
                .hasMessage("block 1 of message 0 from node 1 does not fit the message (2 blocks, 100 bytes)");
        assertThatThrownBy(() -> node0.onFrame(1, block(0, 0, 0, 0, 2000, 0, 1024)))
                .hasMessage("block from node 1 names sender rank 0, not another sender of s/0");
    }

    @Test
    void oversizeMessageIsRefusedWithTheLimitAndProfile() {
        ShardSender sender = node0.sender(0, 0);
        assertThatThrownBy(() -> sender.trySend(4097, b -> { }))
                .isInstanceOf(MessageTooLargeException.class)
                .hasMessage("message of 4097 bytes exceeds maxPayload 4096 of profile 'p' (subgroup s, shard 0)");
    }

    @Test
    void smallMessageTravelsAsPinnedRowWrite() {
        node0.start();
        env.frames.clear();
        assertThat(node0.sender(0, 0).trySend(3, b -> b.put(new byte[] {(byte) 0xAA, (byte) 0xBB, (byte) 0xCC})))
                .isEqualTo(0);
        env.runTasks();
        ByteBuffer toNode1 = env.frames.stream().filter(f -> f.to() == 1).findFirst().orElseThrow().bytes();
        String hex = HexFormat.of().formatHex(CapturingEnvironment.bytes(toNode1));
        // type 1, view 0, 2 writes: slot 0 of node 0's ring in section 1 (header: index+1=1, length 3, flags 0,
        // then the payload), and the counters of section 0 (seqNum 0 after my own message, deliveredSeq -1, numReceived[0] = 1).
        assertThat(hex).isEqualTo("01" + "00000000" + "00000002"
                + "00000001" + "00000000" + "00000013" + "0000000000000001" + "00000003" + "00000000" + "aabbcc"
                + "00000000" + "00000000" + "00000018"
                + "0000000000000000" + "ffffffffffffffff" + "0000000000000001");
    }

    private static ByteBuffer block(int view, int shard, int senderRank, long index, int total, int block, int len) {
        ByteBuffer b = ByteBuffer.allocate(LargeTransfer.HEADER + len);
        b.put(LargeTransfer.FRAME_BLOCK).putInt(view).putInt(shard).putInt(senderRank).putLong(index).putInt(total)
                .putInt(block).position(b.limit());
        return b.flip();
    }
}
