package io.derecho.multicast;

import io.derecho.fabric.Environment;
import io.derecho.fabric.InboundHandler;
import io.derecho.fabric.Outbound;
import io.derecho.sst.MalformedFrameException;
import io.derecho.sst.Predicates;
import io.derecho.sst.Sst;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The multicast protocol of one node for one view: the SST, every shard this node belongs to,
 * and the dispatch of inbound frames. Runs entirely on the protocol loop; application threads
 * only touch {@link ShardSender}s, and deliveries leave through the {@link DeliverySink}.
 *
 * <p>Each batch of input (frames, a local send, a finished delivery) ends with one evaluation of
 * the predicates, one push of the changed SST ranges and one flush.
 */
public final class MulticastGroup implements InboundHandler {
    private static final ByteBuffer[] NO_PIECES = new ByteBuffer[0];
    private final GroupLayout layout;
    private final int myNodeId;
    private final Environment env;
    private final Outbound out;
    private final DeliverySink sink;
    private final Sst sst;
    private final Predicates predicates = new Predicates();
    private final ShardState[] shards;           // by shard index; null where not a member
    private final List<ShardState> myShards = new ArrayList<>();
    private final Runnable wakeTask = this::runBatch;
    private boolean started;
    private boolean closed;

    public MulticastGroup(GroupLayout layout, int myNodeId, Environment env, DeliverySink sink) {
        this.layout = layout;
        this.myNodeId = myNodeId;
        this.env = env;
        this.out = env.outbound();
        this.sink = sink;
        this.sst = new Sst(layout.viewId(), layout.rankOf(myNodeId), layout.members(), layout.sections());
        this.shards = new ShardState[layout.shards().size()];
        for (ShardLayout s : layout.shards()) {
            if (s.hasMember(myNodeId)) {
                ShardState st = new ShardState(this, layout, s, sst, myNodeId);
                shards[s.index()] = st;
                myShards.add(st);
            }
        }
        for (ShardState s : myShards) {
            s.registerPredicates(predicates);
        }
    }

    /**
     * Starts the protocol once every link is up: until then inbound frames only update the local
     * copy of the table, and nothing is pushed or relayed, so nothing can be lost on a link that
     * is not there yet. Call once, on the protocol loop.
     */
    public void start() {
        started = true;
        for (ShardState s : myShards) {
            s.pumpPendingTransfers();
        }
        runBatch();
    }

    boolean started() {
        return started;
    }

    public GroupLayout layout() {
        return layout;
    }

    public int myNodeId() {
        return myNodeId;
    }

    /** The shards of the layout this node is a member of. */
    public List<ShardLayout> myShards() {
        return myShards.stream().map(s -> s.layout).toList();
    }

    /**
     * This node's sender in {@code subgroup}/{@code shard}.
     *
     * @throws IllegalArgumentException if this node is not a sender there
     */
    public ShardSender sender(int subgroup, int shard) {
        ShardLayout l = layout.shard(subgroup, shard);
        ShardState s = shards[l.index()];
        if (s == null || s.sender == null) {
            throw new IllegalArgumentException("node " + myNodeId + " is not a sender of " + l);
        }
        return s.sender;
    }

    @Override
    public void onFrame(int fromNodeId, ByteBuffer frame) {
        onFrame(fromNodeId, frame, NO_PIECES);
    }

    /** A frame in pieces: a block's data is copied piece by piece straight into its message. */
    @Override
    public void onFrame(int fromNodeId, ByteBuffer[] pieces) {
        if (pieces.length > 1 && pieces[0].remaining() >= LargeTransfer.HEADER) {
            onFrame(fromNodeId, pieces[0].duplicate(), java.util.Arrays.copyOfRange(pieces, 1, pieces.length));
        } else {
            InboundHandler.super.onFrame(fromNodeId, pieces);
        }
    }

    private void onFrame(int fromNodeId, ByteBuffer frame, ByteBuffer[] more) {
        if (closed) {
            return;
        }
        try {
            byte type = frame.get();
            if (type == LargeTransfer.FRAME_BLOCK) {
                onBlock(fromNodeId, frame, more);
                return;
            }
            if (more.length > 0) {
                ByteBuffer[] all = new ByteBuffer[more.length + 1];
                all[0] = ByteBuffer.allocate(frame.remaining() + 1).put(type).put(frame).flip();
                System.arraycopy(more, 0, all, 1, more.length);
                InboundHandler.super.onFrame(fromNodeId, all);
                return;
            }
            switch (type) {
                case Sst.FRAME_ROW_WRITE -> sst.apply(fromNodeId, frame);
                default -> throw new MalformedFrameException("unknown frame type " + type + " from node " + fromNodeId);
            }
        } catch (BufferUnderflowException e) {
            throw new MalformedFrameException("truncated frame from node " + fromNodeId);
        }
    }

    private void onBlock(int fromNodeId, ByteBuffer f, ByteBuffer[] more) {
        int vid = f.getInt();
        int shardIndex = f.getInt();
        if (vid != layout.viewId()) {
            throw new MalformedFrameException("block for view " + vid + " from node " + fromNodeId + " in view "
                    + layout.viewId());
        }
        if (shardIndex < 0 || shardIndex >= shards.length || shards[shardIndex] == null) {
            throw new MalformedFrameException("block from node " + fromNodeId + " for shard " + shardIndex
                    + ", which this node is not a member of");
        }
        shards[shardIndex].onBlock(fromNodeId, f, more);
    }

    @Override
    public void onBatchEnd() {
        runBatch();
    }

    @Override
    public void onLinkDown(int nodeId, String reason) {
        // Failure handling (suspicion, view change) belongs to the membership layer.
    }

    /** Called from any thread when a sender wrote a slot: evaluate on the loop. */
    void wake() {
        env.execute(wakeTask);
    }

    void sendFrame(int nodeId, ByteBuffer header, ByteBuffer body) {
        out.send(nodeId, header, body);
    }

    /**
     * Hands a batch to the delivery thread. A batch of null messages only can complete at once,
     * unless earlier batches of its shard are still being delivered: completing it then would
     * publish delivered counters that cover their messages, and senders would reuse slots that
     * the application is still reading.
     */
    void submit(DeliveryBatch batch) {
        if (batch.size() == 0 && batch.shard.batchesInFlight == 0) {
            batch.shard.delivered(batch);
            wake(); // the freed slots may let nulls or sends go out: evaluate once more
        } else {
            batch.shard.batchesInFlight++;
            sink.submit(batch);
        }
    }

    /** The delivery thread finished {@code batch}; must be called on the protocol loop. */
    public void delivered(DeliveryBatch batch) {
        if (closed) {
            return;
        }
        batch.shard.batchesInFlight--;
        batch.shard.delivered(batch);
        runBatch();
    }

    private void runBatch() {
        if (closed || !started) {
            return;
        }
        predicates.evaluate();
        sst.push(out);
        out.flush();
    }

    // ---- hooks for the membership layer (view change) ----

    /** The view's SST; the membership layer keeps its own section in it. */
    public Sst sst() {
        return sst;
    }

    /** The predicates evaluated after each batch; the membership layer adds its own after these. */
    public Predicates predicates() {
        return predicates;
    }

    /** Evaluates, pushes and flushes now (after a timer or a local change), on the protocol loop. */
    public void poke() {
        runBatch();
    }

    /** Stops sending and stability-driven delivery in every shard: the view is ending. */
    public void wedge() {
        for (ShardState s : myShards) {
            s.wedge();
        }
    }

    /**
     * Holds (or releases) delivery in shard {@code shardIndex}: a member new to the shard receives
     * and acknowledges messages but delivers none until the shard's state has been transferred.
     */
    public void holdDelivery(int shardIndex, boolean hold) {
        shard(shardIndex).deliveryHeld = hold;
    }

    public boolean deliveryHeld(int shardIndex) {
        return shard(shardIndex).deliveryHeld;
    }

    /** SST rows (view ranks) of the members of shard {@code shardIndex}. */
    public int[] shardMemberRows(int shardIndex) {
        return shard(shardIndex).memberRows();
    }

    public boolean trimReady(int shardIndex, int row) {
        return shard(shardIndex).trimReady(row);
    }

    public long[] trimOf(int shardIndex, int row) {
        return shard(shardIndex).trimOf(row);
    }

    public long[] computeTrim(int shardIndex, java.util.function.IntPredicate liveRow) {
        return shard(shardIndex).computeTrim(liveRow);
    }

    public void adoptTrim(int shardIndex, long[] trim) {
        shard(shardIndex).adoptTrim(trim);
    }

    public void deliverUpToTrim(int shardIndex, long[] trim) {
        shard(shardIndex).deliverUpToTrim(trim);
    }

    /** True once every message this node sent, in every shard, was delivered by every member. */
    public boolean ownMessagesDelivered() {
        for (ShardState s : myShards) {
            if (!s.ownMessagesDelivered()) {
                return false;
            }
        }
        return true;
    }

    public boolean trimDelivered(int shardIndex) {
        return shard(shardIndex).trimDelivered();
    }

    /** My messages in shard {@code shardIndex} past {@code trim}, in order, to send again in the next view. */
    public List<byte[]> undeliveredOwn(int shardIndex, long[] trim) {
        return shard(shardIndex).undeliveredOwn(trim);
    }

    private ShardState shard(int shardIndex) {
        ShardState s = shards[shardIndex];
        if (s == null) {
            throw new IllegalArgumentException("node " + myNodeId + " is not a member of shard " + shardIndex);
        }
        return s;
    }

    /** How far each member of this node's shards received and delivered, as this node sees it. */
    public List<ShardFrontier> frontiers() {
        List<ShardFrontier> out = new ArrayList<>();
        for (ShardState s : myShards) {
            out.add(s.frontier());
        }
        return out;
    }

    /** Every shard's protocol state as this node sees it, for diagnostics and failing tests. */
    public String describe() {
        StringBuilder b = new StringBuilder("node ").append(myNodeId).append(started ? "" : " (not started)");
        for (ShardState s : myShards) {
            b.append("\n  ").append(s.describe());
        }
        return b.toString();
    }

    /** Stops the protocol: senders fail with {@code reason}, frames are ignored. */
    public void close(String reason) {
        closed = true;
        for (ShardState s : myShards) {
            s.close(reason);
        }
    }
}
