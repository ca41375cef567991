package io.derecho.sst;

import io.derecho.fabric.Outbound;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared state table of one view: one row per member, each row split into sections. A node
 * writes only its own row and pushes the changed ranges to the members that subscribe to them;
 * it reads every row from its local copy. Pushes of one node arrive in order (FIFO links), so a
 * reader never sees a counter move backwards.
 *
 * <p>Not thread-safe: owned by the protocol loop.
 */
public final class Sst {
    /** Frame type of a row write: {@code type u8, viewId i32, count i32, {section i32, offset i32, len i32, bytes}*}. */
    public static final byte FRAME_ROW_WRITE = 1;

    private final int viewId;
    private final int myRank;
    private final int[] nodeIds;
    private final SectionSpec[] sections;
    private final ByteBuffer[][] rows; // [rank][section], null where not held or not subscribed
    private final int[][] dirty;       // per local section: offset,len pairs
    private final int[] dirtyCount;
    private final boolean[] isDirty;
    private final int[] dirtyList;
    private int dirtyListSize;

    public Sst(int viewId, int myRank, int[] nodeIds, List<SectionSpec> specs) {
        this.viewId = viewId;
        this.myRank = myRank;
        this.nodeIds = nodeIds.clone();
        this.sections = specs.toArray(SectionSpec[]::new);
        for (int i = 0; i < sections.length; i++) {
            if (sections[i].id() != i) {
                throw new IllegalArgumentException("section ids must be 0.." + (sections.length - 1));
            }
        }
        this.rows = new ByteBuffer[nodeIds.length][sections.length];
        for (SectionSpec s : sections) {
            if (!s.subscribedBy(myRank) && !s.heldBy(myRank)) {
                continue;
            }
            for (int r : s.holders()) {
                if (r == myRank || s.subscribedBy(myRank)) {
                    rows[r][s.id()] = ByteBuffer.allocate(s.sizeBytes()).order(ByteOrder.BIG_ENDIAN);
                }
            }
        }
        this.dirty = new int[sections.length][];
        this.dirtyCount = new int[sections.length];
        this.isDirty = new boolean[sections.length];
        this.dirtyList = new int[sections.length];
        for (int i = 0; i < sections.length; i++) {
            dirty[i] = new int[16];
        }
    }

    public int viewId() {
        return viewId;
    }

    public int myRank() {
        return myRank;
    }

    public int rankOf(int nodeId) {
        for (int i = 0; i < nodeIds.length; i++) {
            if (nodeIds[i] == nodeId) {
                return i;
            }
        }
        return -1;
    }

    public int nodeId(int rank) {
        return nodeIds[rank];
    }

    /** The local copy of {@code section} in {@code rank}'s row (absolute indexing; do not move its position). */
    public ByteBuffer section(int rank, int section) {
        ByteBuffer b = rows[rank][section];
        if (b == null) {
            throw new IllegalStateException("section " + section + " of rank " + rank + " is not kept on rank " + myRank);
        }
        return b;
    }

    public long getLong(int rank, int section, int offset) {
        return rows[rank][section].getLong(offset);
    }

    /** Writes a long into my own row and marks it for the next push. */
    public void putLong(int section, int offset, long value) {
        ByteBuffer b = rows[myRank][section];
        if (b.getLong(offset) != value) {
            b.putLong(offset, value);
            markDirty(section, offset, Long.BYTES);
        }
    }

    /** Marks a range of my own row (already written through {@link #section}) for the next push. */
    public void markDirty(int section, int offset, int len) {
        if (!isDirty[section]) {
            isDirty[section] = true;
            dirtyList[dirtyListSize++] = section;
            dirtyCount[section] = 0;
        }
        int[] d = dirty[section];
        int n = dirtyCount[section];
        if (n > 0) {
            int lastOff = d[n - 2];
            int lastEnd = lastOff + d[n - 1];
            if (sections[section].coalesce()) {
                int lo = Math.min(lastOff, offset);
                int hi = Math.max(lastEnd, offset + len);
                d[n - 2] = lo;
                d[n - 1] = hi - lo;
                return;
            }
            if (offset == lastEnd) {
                d[n - 1] += len;
                return;
            }
        }
        if (n + 2 > d.length) {
            d = dirty[section] = Arrays.copyOf(d, d.length * 2);
        }
        d[n] = offset;
        d[n + 1] = len;
        dirtyCount[section] = n + 2;
    }

    public boolean hasDirty() {
        return dirtyListSize > 0;
    }

    /**
     * Sends every dirty range to its subscribers: one frame per distinct set of sections, so a
     * member of several shards still gets one frame per push. Does not flush.
     */
    public void push(Outbound out) {
        if (dirtyListSize == 0) {
            return;
        }
        Map<List<Integer>, ByteBuffer> framesBySectionSet = new HashMap<>();
        for (int dest = 0; dest < nodeIds.length; dest++) {
            if (dest == myRank) {
                continue;
            }
            int size = 9;
            List<Integer> secs = new ArrayList<>(dirtyListSize);
            for (int i = 0; i < dirtyListSize; i++) {
                int s = dirtyList[i];
                if (sections[s].subscribedBy(dest)) {
                    secs.add(s);
                    size += bytesFor(s);
                }
            }
            if (secs.isEmpty()) {
                continue;
            }
            int frameSize = size;
            ByteBuffer frame = framesBySectionSet.computeIfAbsent(secs, k -> encode(k, frameSize));
            out.send(nodeIds[dest], frame.duplicate());
        }
        for (int i = 0; i < dirtyListSize; i++) {
            isDirty[dirtyList[i]] = false;
        }
        dirtyListSize = 0;
    }

    private int bytesFor(int s) {
        int[] d = dirty[s];
        int total = 0;
        for (int i = 0; i < dirtyCount[s]; i += 2) {
            total += 12 + d[i + 1];
        }
        return total;
    }

    private ByteBuffer encode(List<Integer> secs, int size) {
        ByteBuffer f = ByteBuffer.allocate(size).order(ByteOrder.BIG_ENDIAN);
        f.put(FRAME_ROW_WRITE).putInt(viewId);
        int countPos = f.position();
        f.putInt(0);
        int count = 0;
        for (int s : secs) {
            ByteBuffer src = rows[myRank][s];
            int[] d = dirty[s];
            for (int i = 0; i < dirtyCount[s]; i += 2) {
                int off = d[i];
                int len = d[i + 1];
                f.putInt(s).putInt(off).putInt(len);
                f.put(f.position(), src, off, len);
                f.position(f.position() + len);
                count++;
            }
        }
        f.putInt(countPos, count);
        f.flip();
        return f;
    }

    /**
     * Applies a row-write frame from {@code fromNodeId} to the local copy of its row. The frame's
     * position is just after the type byte. Every write is checked before any byte is copied.
     */
    public void apply(int fromNodeId, ByteBuffer frame) {
        int rank = rankOf(fromNodeId);
        if (rank < 0 || rank == myRank) {
            throw new MalformedFrameException("row write from node " + fromNodeId + ", which has no row in view " + viewId);
        }
        try {
            int vid = frame.getInt();
            if (vid != viewId) {
                throw new MalformedFrameException("row write for view " + vid + " from node " + fromNodeId
                        + " arrived in view " + viewId);
            }
            int count = frame.getInt();
            if (count < 0) {
                throw new MalformedFrameException("row write from node " + fromNodeId + " has negative count " + count);
            }
            int start = frame.position();
            for (int pass = 0; pass < 2; pass++) {
                frame.position(start);
                for (int i = 0; i < count; i++) {
                    int s = frame.getInt();
                    int off = frame.getInt();
                    int len = frame.getInt();
                    if (s < 0 || s >= sections.length || rows[rank][s] == null) {
                        throw new MalformedFrameException("row write from node " + fromNodeId + " to section " + s
                                + ", which this node does not keep for it");
                    }
                    ByteBuffer dst = rows[rank][s];
                    if (off < 0 || len < 0 || off > dst.capacity() - len || len > frame.remaining()) {
                        throw new MalformedFrameException("row write from node " + fromNodeId + " to section " + s
                                + " at [" + off + ", +" + len + ") is outside the section (" + dst.capacity()
                                + " bytes) or the frame");
                    }
                    if (pass == 1) {
                        dst.put(off, frame, frame.position(), len);
                    }
                    frame.position(frame.position() + len);
                }
            }
            if (frame.hasRemaining()) {
                throw new MalformedFrameException("row write from node " + fromNodeId + " has " + frame.remaining()
                        + " trailing bytes");
            }
        } catch (BufferUnderflowException e) {
            throw new MalformedFrameException("row write from node " + fromNodeId + " is truncated");
        }
    }
}
