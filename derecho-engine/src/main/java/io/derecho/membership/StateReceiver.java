package io.derecho.membership;

import io.derecho.fabric.Outbound;
import io.derecho.multicast.ShardLayout;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * State transfer of one shard to one new member, in chunks over the ordinary links:
 * <pre>
 * STATE = type:int8=3 viewId:int32 shardIndex:int32 chunk:int32 last:int8 crc32c:int32 length:int32 bytes
 * </pre>
 * The donor writes the whole state at the start of the new view, before its first multicast frame;
 * the receiver checks each chunk's number and checksum, and applies the state once the last chunk
 * is in (then releases delivery in the shard).
 */
final class StateReceiver {
    static final byte FRAME_STATE = 3;
    static final int CHUNK_BYTES = 64 * 1024;
    private static final int HEADER = 1 + 4 + 4 + 4 + 1 + 4 + 4;

    private final ShardLayout shard;
    private final int viewId;
    private final int donor;
    private final List<byte[]> chunks = new ArrayList<>();
    private boolean complete;

    StateReceiver(ShardLayout shard, int viewId, int donor) {
        this.shard = shard;
        this.viewId = viewId;
        this.donor = donor;
    }

    ShardLayout shard() {
        return shard;
    }

    int donor() {
        return donor;
    }

    int chunks() {
        return chunks.size();
    }

    long bytes() {
        long b = 0;
        for (byte[] c : chunks) {
            b += c.length;
        }
        return b;
    }

    boolean complete() {
        return complete;
    }

    static int shardOf(ByteBuffer frame) {
        return frame.getInt(frame.position() + 5);
    }

    /** Takes one chunk; returns what is wrong with it, or null. */
    String onChunk(int from, ByteBuffer f) {
        ByteBuffer b = f.duplicate();
        if (b.remaining() < HEADER) {
            return "a truncated state chunk from node " + from;
        }
        b.get();
        b.getInt();
        b.getInt();
        int number = b.getInt();
        boolean last = b.get() != 0;
        int crc = b.getInt();
        int length = b.getInt();
        if (from != donor) {
            return "a state chunk from node " + from + ", but the donor is node " + donor;
        }
        if (complete || number != chunks.size()) {
            return "state chunk " + number + " from node " + from + " out of order (expected " + chunks.size() + ")";
        }
        if (length != b.remaining()) {
            return "state chunk " + number + " from node " + from + " says " + length + " bytes but carries " + b.remaining();
        }
        byte[] data = new byte[length];
        b.get(data);
        CRC32C c = new CRC32C();
        c.update(data);
        if ((int) c.getValue() != crc) {
            return "state chunk " + number + " from node " + from + " fails its checksum";
        }
        chunks.add(data);
        complete = last;
        return null;
    }

    void apply(StateTransfer state) throws IOException {
        List<InputStream> parts = new ArrayList<>();
        for (byte[] c : chunks) {
            parts.add(new ByteArrayInputStream(c));
        }
        try (InputStream in = new SequenceInputStream(Collections.enumeration(parts))) {
            state.readState(shard, viewId, in);
        }
    }

    /** Donor side: writes the state of {@code shard} once and sends it, in chunks, to each of {@code to}. */
    static void send(StateTransfer state, ShardLayout shard, int viewId, List<Integer> to, Outbound out) {
        List<byte[]> chunks = new ArrayList<>();
        try (OutputStream chunker = new OutputStream() {
            private byte[] buf = new byte[CHUNK_BYTES];
            private int used;

            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                while (len > 0) {
                    int n = Math.min(len, CHUNK_BYTES - used);
                    System.arraycopy(b, off, buf, used, n);
                    used += n;
                    off += n;
                    len -= n;
                    if (used == CHUNK_BYTES) {
                        chunks.add(buf);
                        buf = new byte[CHUNK_BYTES];
                        used = 0;
                    }
                }
            }

            @Override
            public void close() {
                if (used > 0 || chunks.isEmpty()) {
                    chunks.add(java.util.Arrays.copyOf(buf, used));
                }
            }
        }) {
            state.writeState(shard, viewId, chunker);
        } catch (IOException e) {
            throw new IllegalStateException("writing the state of " + shard + " failed", e);
        }
        for (int member : to) {
            for (int i = 0; i < chunks.size(); i++) {
                byte[] data = chunks.get(i);
                CRC32C c = new CRC32C();
                c.update(data);
                ByteBuffer header = ByteBuffer.allocate(HEADER);
                header.put(FRAME_STATE).putInt(viewId).putInt(shard.index()).putInt(i)
                        .put((byte) (i == chunks.size() - 1 ? 1 : 0)).putInt((int) c.getValue()).putInt(data.length).flip();
                out.send(member, header, ByteBuffer.wrap(data));
            }
        }
    }
}
