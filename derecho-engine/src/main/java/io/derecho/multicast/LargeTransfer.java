package io.derecho.multicast;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One large message on its way through the block pipeline, as seen by one node: the blocks it
 * holds and the sends of the schedule it still owes. Blocks are forwarded as soon as the schedule
 * allows, in schedule order.
 */
final class LargeTransfer {
    /** Frame type of a block: {@code type u8, viewId i32, shard i32, senderRank i32, index i64, totalSize i32, block i32, bytes}. */
    static final byte FRAME_BLOCK = 2;
    static final int HEADER = 1 + 4 + 4 + 4 + 8 + 4 + 4;

    final long index;
    final int senderRank;
    final byte[] data;
    private final int blockSize;
    private final boolean[] have;
    private int haveCount;
    private final BlockSchedule.Sends sends;
    private final int[] positionToNode;
    private int cursor;

    LargeTransfer(long index, int senderRank, byte[] data, int blockSize, BlockSchedule.Sends sends,
                  int[] positionToNode, boolean root) {
        this.index = index;
        this.senderRank = senderRank;
        this.data = data;
        this.blockSize = blockSize;
        this.have = new boolean[blocks(data.length, blockSize)];
        this.sends = sends;
        this.positionToNode = positionToNode;
        if (root) {
            java.util.Arrays.fill(have, true);
            haveCount = have.length;
        }
    }

    static int blocks(int totalSize, int blockSize) {
        return (totalSize + blockSize - 1) / blockSize;
    }

    int blockLength(int block) {
        return Math.min(blockSize, data.length - block * blockSize);
    }

    boolean has(int block) {
        return have[block];
    }

    int blockCount() {
        return have.length;
    }

    boolean complete() {
        return haveCount == have.length;
    }

    void receive(int block, ByteBuffer src, ByteBuffer[] more) {
        int at = block * blockSize;
        int n = src.remaining();
        src.get(data, at, n);
        at += n;
        for (ByteBuffer m : more) {
            n = m.remaining();
            m.duplicate().get(data, at, n);
            at += n;
        }
        have[block] = true;
        haveCount++;
    }

    /** Performs every send whose block is here, stopping at the first one that is not. */
    void pump(MulticastGroup group, int viewId, int shardIndex) {
        while (cursor < sends.size() && have[sends.blocks()[cursor]]) {
            int block = sends.blocks()[cursor];
            ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.BIG_ENDIAN);
            header.put(FRAME_BLOCK).putInt(viewId).putInt(shardIndex).putInt(senderRank).putLong(index)
                    .putInt(data.length).putInt(block).flip();
            group.sendFrame(positionToNode[sends.dests()[cursor]], header,
                    ByteBuffer.wrap(data, block * blockSize, blockLength(block)));
            cursor++;
        }
    }

}
