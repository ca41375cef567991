package io.derecho.multicast;

import io.derecho.config.Mode;
import io.derecho.sst.MalformedFrameException;
import io.derecho.sst.Predicates;
import io.derecho.sst.Sst;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * One shard as this member runs it: receipt from the senders' slot rings and block pipelines,
 * null messages, publication of this node's own sends, stability, delivery and flow control.
 * Each phase is an SST predicate evaluated on the protocol loop after every batch of input.
 *
 * <p>Round-robin total order: message {@code i} of the sender with rank {@code r} among {@code k}
 * senders has sequence {@code i * k + r}; {@code seqNum} is the highest sequence below which this
 * member received everything; a message is stable when every member's {@code seqNum} covers it and
 * stable messages are delivered in sequence order.
 */
final class ShardState {
    final ShardLayout layout;
    private final MulticastGroup group;
    private final Sst sst;
    private final int k;
    private final int window;
    private final int slotSize;
    private final int countersSection;
    private final int[] slotSection;
    private final int[] senderRow;      // SST rank of each sender
    private final int[] memberRow;      // SST rank of each member
    private final int myMemberIndex;
    final int mySender;                 // my rank among the senders, or -1
    final ShardSender sender;
    private final boolean ordered;

    private final long[] received;      // per sender rank: messages received here (own: published)
    private final long[] handed;        // UNORDERED: per sender, messages handed to delivery
    private final long[] messageNumber; // per sender: non-null messages handed to delivery so far
    private long handedSeq = -1;        // ORDERED: highest sequence handed to delivery
    private long published;
    private long lastMinDelivered = -1;
    int batchesInFlight;                // batches handed to the delivery thread and not yet back
    boolean deliveryHeld;               // a new member waiting for the shard's state: receive, but deliver nothing
    private boolean wedged;             // the view is ending: no more sends, no more stability-driven delivery
    private boolean trimDelivered;      // the ragged trim of this view has been handed to delivery
    @SuppressWarnings("unchecked")
    private final Map<Long, LargeTransfer>[] inbound;
    private final Map<Long, LargeTransfer> ownLarge = new HashMap<>();
    /** Buffers of delivered large messages, reused for the next ones of the same size (no zeroing, less GC). */
    private final java.util.ArrayDeque<byte[]> spareBuffers = new java.util.ArrayDeque<>();

    ShardState(MulticastGroup group, GroupLayout gl, ShardLayout layout, Sst sst, int myNodeId) {
        this.group = group;
        this.layout = layout;
        this.sst = sst;
        this.k = layout.senders().length;
        this.window = layout.profile().window();
        this.slotSize = GroupLayout.slotSize(layout);
        this.ordered = layout.mode() == Mode.ORDERED;
        this.countersSection = gl.counterSection(layout.index());
        this.slotSection = new int[k];
        this.senderRow = new int[k];
        for (int r = 0; r < k; r++) {
            slotSection[r] = gl.slotSection(layout.index(), r);
            senderRow[r] = gl.rankOf(layout.senders()[r]);
        }
        this.memberRow = new int[layout.members().length];
        for (int m = 0; m < memberRow.length; m++) {
            memberRow[m] = gl.rankOf(layout.members()[m]);
        }
        this.myMemberIndex = ShardLayout.indexOf(layout.members(), myNodeId);
        this.mySender = layout.senderRank(myNodeId);
        this.received = new long[k];
        this.handed = new long[k];
        this.messageNumber = new long[k];
        this.inbound = new Map[k];
        for (int r = 0; r < k; r++) {
            inbound[r] = new HashMap<>();
        }
        this.sender = mySender >= 0
                ? new ShardSender(sst.viewId(), layout, sst.section(sst.myRank(), slotSection[mySender]), group::wake)
                : null;
    }

    MulticastGroup group() {
        return group;
    }

    void registerPredicates(Predicates p) {
        // Once wedged, a member's receive counters are frozen: what it pushed with its wedge flag is
        // final, so the shard leader's trim covers every message anyone delivered in this view.
        p.register(Predicates.Kind.RECURRENT, () -> !wedged, this::receive);
        if (sender != null) {
            // Flow first: nulls and sends of this very pass may use the slots that deliveries freed.
            p.register(Predicates.Kind.RECURRENT, () -> minDelivered(mySender) != lastMinDelivered, this::updateFlow);
            if (ordered) {
                p.register(Predicates.Kind.RECURRENT, () -> !wedged && nullTarget() > published,
                        () -> sender.fillNulls(nullTarget()));
            }
            p.register(Predicates.Kind.RECURRENT, () -> !wedged && sender.written() > published, this::publish);
        }
        if (k == 0) {
            return; // no sender in this view: nothing to deliver
        }
        if (ordered) {
            p.register(Predicates.Kind.RECURRENT, () -> !wedged && updateSeqNum() > handedSeq && !deliveryHeld,
                    this::deliverStableOrdered);
        } else {
            p.register(Predicates.Kind.RECURRENT, () -> !wedged && !deliveryHeld && unorderedPending(), this::deliverUnordered);
        }
    }

    // ---- receipt ----

    private void receive() {
        for (int r = 0; r < k; r++) {
            if (r == mySender) {
                continue;
            }
            ByteBuffer ring = sst.section(senderRow[r], slotSection[r]);
            long c = received[r];
            while (true) {
                int off = (int) (c % window) * slotSize;
                if (ring.getLong(off) != c + 1) {
                    break;
                }
                if (ring.getInt(off + 12) == ShardSender.FLAG_LARGE) {
                    LargeTransfer t = inbound[r].get(c);
                    if (t == null || !t.complete()) {
                        break;
                    }
                    if (t.data.length != ring.getInt(off + 8)) {
                        throw new MalformedFrameException("large message " + c + " of node " + layout.senders()[r]
                                + " announced " + ring.getInt(off + 8) + " bytes but its blocks carry " + t.data.length);
                    }
                }
                c++;
            }
            if (c != received[r]) {
                received[r] = c;
                sst.putLong(countersSection, ShardCounters.numReceived(r), c);
            }
        }
    }

    /**
     * A block of a large message arrived; {@code f} is positioned after the shard index and the
     * block's bytes continue in {@code more}, if the frame came in pieces.
     */
    void onBlock(int fromNodeId, ByteBuffer f, ByteBuffer[] more) {
        int r = f.getInt();
        long index = f.getLong();
        int total = f.getInt();
        int block = f.getInt();
        if (r < 0 || r >= k || r == mySender) {
            throw new MalformedFrameException("block from node " + fromNodeId + " names sender rank " + r
                    + ", not another sender of " + layout.subgroupName() + "/" + layout.shard());
        }
        if (index < received[r] || index >= received[r] + window) {
            throw new MalformedFrameException("block of message " + index + " from node " + fromNodeId
                    + " is outside the receive window [" + received[r] + ", " + (received[r] + window) + ")");
        }
        if (total <= layout.profile().maxSmcPayload() || total > layout.profile().maxPayload()) {
            throw new MalformedFrameException("block from node " + fromNodeId + " announces a message of " + total
                    + " bytes, outside (maxSmcPayload, maxPayload] of profile " + layout.profile().name());
        }
        LargeTransfer t = inbound[r].get(index);
        if (t == null) {
            t = newTransfer(r, index, newBuffer(total), false);
            inbound[r].put(index, t);
        }
        long bytes = f.remaining();
        for (ByteBuffer m : more) {
            bytes += m.remaining();
        }
        if (t.data.length != total || block < 0 || block >= t.blockCount() || t.has(block)
                || bytes != t.blockLength(block)) {
            throw new MalformedFrameException("block " + block + " of message " + index + " from node " + fromNodeId
                    + " does not fit the message (" + t.blockCount() + " blocks, " + bytes + " bytes)");
        }
        t.receive(block, f, more);
        if (group.started()) {
            t.pump(group, sst.viewId(), layout.index());
        }
    }

    /** Relays the blocks that arrived before the protocol started. */
    void pumpPendingTransfers() {
        for (Map<Long, LargeTransfer> m : inbound) {
            for (LargeTransfer t : m.values()) {
                t.pump(group, sst.viewId(), layout.index());
            }
        }
    }

    private byte[] newBuffer(int size) {
        for (java.util.Iterator<byte[]> it = spareBuffers.iterator(); it.hasNext(); ) {
            byte[] b = it.next();
            if (b.length == size) {
                it.remove();
                return b;
            }
        }
        return new byte[size];
    }

    private LargeTransfer newTransfer(int senderRank, long index, byte[] data, boolean root) {
        int n = layout.members().length;
        int senderMember = ShardLayout.indexOf(layout.members(), layout.senders()[senderRank]);
        int[] posToNode = new int[n];
        for (int p = 0; p < n; p++) {
            posToNode[p] = layout.members()[(senderMember + p) % n];
        }
        int myPos = (myMemberIndex - senderMember + n) % n;
        BlockSchedule.Sends[] plan = BlockSchedule.plan(layout.profile().schedule(), n,
                LargeTransfer.blocks(data.length, layout.profile().blockSize()));
        return new LargeTransfer(index, senderRank, data, layout.profile().blockSize(), plan[myPos], posToNode, root);
    }

    // ---- sending ----

    /** How far this sender must advance (with nulls if idle) so every received message can be ordered. */
    private long nullTarget() {
        long target = 0;
        for (int r = 0; r < k; r++) {
            if (r != mySender) {
                target = Math.max(target, r > mySender ? received[r] : received[r] - 1);
            }
        }
        return target;
    }

    private void publish() {
        long w = sender.written();
        ByteBuffer ring = sst.section(sst.myRank(), slotSection[mySender]);
        for (long i = published; i < w; i++) {
            int off = (int) (i % window) * slotSize;
            int flags = ring.getInt(off + 12);
            int len = flags == ShardSender.FLAG_DATA ? ring.getInt(off + 8) : 0;
            sst.markDirty(slotSection[mySender], off, GroupLayout.SLOT_HEADER + len);
            if (flags == ShardSender.FLAG_LARGE) {
                LargeTransfer t = newTransfer(mySender, i, sender.largeOut.poll(), true);
                ownLarge.put(i, t);
                t.pump(group, sst.viewId(), layout.index());
            }
        }
        published = w;
        received[mySender] = w;
        sst.putLong(countersSection, ShardCounters.numReceived(mySender), w);
    }

    private long minDelivered(int senderRank) {
        long min = Long.MAX_VALUE;
        for (int row : memberRow) {
            min = Math.min(min, sst.getLong(row, countersSection, ShardCounters.numDelivered(k, senderRank)));
        }
        return min;
    }

    private void updateFlow() {
        lastMinDelivered = minDelivered(mySender);
        sender.setLimits(lastMinDelivered);
    }

    // ---- ordered delivery ----

    /** Recomputes and publishes my seqNum; returns the shard's stable sequence (min over members). */
    private long updateSeqNum() {
        long next = Long.MAX_VALUE;
        for (int r = 0; r < k; r++) {
            next = Math.min(next, received[r] * k + r);
        }
        sst.putLong(countersSection, ShardCounters.SEQ_NUM, next);
        long stable = Long.MAX_VALUE;
        for (int row : memberRow) {
            stable = Math.min(stable, sst.getLong(row, countersSection, ShardCounters.SEQ_NUM));
        }
        return stable - 1;
    }

    private void deliverStableOrdered() {
        long stable = updateSeqNum();
        DeliveryBatch batch = new DeliveryBatch(this);
        long versionBase = (long) sst.viewId() << 32;
        for (long seq = handedSeq + 1; seq <= stable; seq++) {
            int r = (int) (seq % k);
            long i = seq / k;
            addPayload(batch, r, i, versionBase | seq);
        }
        handedSeq = stable;
        batch.lastSeq = stable;
        group.submit(batch);
    }

    private void addPayload(DeliveryBatch batch, int r, long i, long version) {
        ByteBuffer ring = sst.section(senderRow[r], slotSection[r]);
        int off = (int) (i % window) * slotSize;
        int flags = ring.getInt(off + 12);
        if (flags == ShardSender.FLAG_NULL) {
            return;
        }
        ByteBuffer payload;
        if (flags == ShardSender.FLAG_LARGE) {
            LargeTransfer t = r == mySender ? ownLarge.get(i) : inbound[r].get(i);
            payload = ByteBuffer.wrap(t.data).asReadOnlyBuffer();
        } else {
            payload = ring.slice(off + GroupLayout.SLOT_HEADER, ring.getInt(off + 8)).asReadOnlyBuffer();
        }
        batch.add(layout.senders()[r], messageNumber[r]++, payload, version);
    }

    // ---- unordered delivery ----

    /** UNORDERED: messages of sender {@code r} every member has received (FIFO per sender, no order across senders). */
    private long receivedByAll(int r) {
        long min = Long.MAX_VALUE;
        for (int row : memberRow) {
            min = Math.min(min, sst.getLong(row, countersSection, ShardCounters.numReceived(r)));
        }
        return min;
    }

    private boolean unorderedPending() {
        for (int r = 0; r < k; r++) {
            if (receivedByAll(r) > handed[r]) {
                return true;
            }
        }
        return false;
    }

    /**
     * UNORDERED delivery: each sender's messages in its order, once every member has received
     * them. Waiting for receipt everywhere (not for an order across senders) keeps a view change
     * clean: nothing a survivor delivered can be past the ragged trim, so nothing is delivered twice.
     */
    private void deliverUnordered() {
        DeliveryBatch batch = new DeliveryBatch(this);
        batch.deliveredCounts = new long[k];
        for (int r = 0; r < k; r++) {
            long upTo = receivedByAll(r);
            for (long i = handed[r]; i < upTo; i++) {
                addPayload(batch, r, i, -1);
            }
            handed[r] = Math.max(handed[r], upTo);
            batch.deliveredCounts[r] = handed[r];
        }
        group.submit(batch);
    }

    // ---- after delivery ----

    void delivered(DeliveryBatch batch) {
        if (ordered) {
            sst.putLong(countersSection, ShardCounters.DELIVERED_SEQ, batch.lastSeq + 1);
        }
        for (int r = 0; r < k; r++) {
            long seq = batch.lastSeq;
            // A trim batch (and every UNORDERED batch) says per sender how far it went; a
            // stability batch covers every sender up to its sequence.
            long count = batch.deliveredCounts != null ? batch.deliveredCounts[r] : seq >= r ? (seq - r) / k + 1 : 0;
            advanceDelivered(r, count);
        }
    }

    private void advanceDelivered(int r, long count) {
        int col = ShardCounters.numDelivered(k, r);
        long before = sst.getLong(sst.myRank(), countersSection, col);
        if (count <= before) {
            return;
        }
        Map<Long, LargeTransfer> large = r == mySender ? ownLarge : inbound[r];
        if (!large.isEmpty()) {
            for (long i = before; i < count; i++) {
                LargeTransfer t = large.remove(i);
                if (t != null && r != mySender && spareBuffers.size() < 2 * layout.profile().largeWindow()) {
                    spareBuffers.add(t.data);
                }
            }
        }
        sst.putLong(countersSection, col, count);
    }

    // ---- view change: wedge, ragged trim, resend ----

    /** Stops sending and stability-driven delivery in this view. */
    void wedge() {
        wedged = true;
        if (sender != null) {
            sender.wedge();
        }
    }

    boolean trimReady(int row) {
        return sst.getLong(row, countersSection, ShardCounters.trimReady(k)) != 0;
    }

    long[] trimOf(int row) {
        long[] t = new long[k];
        for (int r = 0; r < k; r++) {
            t[r] = sst.getLong(row, countersSection, ShardCounters.trim(k, r));
        }
        return t;
    }

    /**
     * The ragged trim over the members whose rows are {@code liveRows}: for each sender, the
     * fewest messages any of them received, i.e. what every survivor holds.
     */
    long[] computeTrim(java.util.function.IntPredicate liveRow) {
        long[] t = new long[k];
        java.util.Arrays.fill(t, Long.MAX_VALUE);
        for (int row : memberRow) {
            if (!liveRow.test(row)) {
                continue;
            }
            for (int r = 0; r < k; r++) {
                long got = sst.getLong(row, countersSection, ShardCounters.numReceived(r));
                t[r] = FaultInjection.raggedTrimAsMax && t[r] != Long.MAX_VALUE ? Math.max(t[r], got) : Math.min(t[r], got);
            }
        }
        return t;
    }

    /** Records {@code trim} in my row (the shard leader publishes it, everyone else echoes it). */
    void adoptTrim(long[] trim) {
        for (int r = 0; r < k; r++) {
            sst.putLong(countersSection, ShardCounters.trim(k, r), trim[r]);
        }
        sst.putLong(countersSection, ShardCounters.trimReady(k), 1);
    }

    /**
     * Delivers exactly the messages below the trim that were not delivered yet, in round-robin
     * order (ORDERED) or per sender (UNORDERED); every survivor delivers the same set.
     */
    void deliverUpToTrim(long[] trim) {
        if (trimDelivered) {
            return;
        }
        trimDelivered = true;
        DeliveryBatch batch = new DeliveryBatch(this);
        if (ordered) {
            long last = -1;
            for (int r = 0; r < k; r++) {
                if (trim[r] > 0) {
                    last = Math.max(last, (trim[r] - 1) * k + r);
                }
            }
            long versionBase = (long) sst.viewId() << 32;
            for (long seq = handedSeq + 1; seq <= last; seq++) {
                int r = (int) (seq % k);
                long i = seq / k;
                if (i < trim[r]) {
                    addPayload(batch, r, i, versionBase | seq);
                }
            }
            handedSeq = Math.max(handedSeq, last);
            batch.lastSeq = handedSeq;
            batch.deliveredCounts = trim.clone();
        } else {
            batch.deliveredCounts = new long[k];
            for (int r = 0; r < k; r++) {
                for (long i = handed[r]; i < trim[r]; i++) {
                    addPayload(batch, r, i, -1);
                }
                handed[r] = Math.max(handed[r], trim[r]);
                batch.deliveredCounts[r] = handed[r];
            }
        }
        group.submit(batch);
    }

    /** True if every message this member sent here (nulls included) was delivered by every member. */
    boolean ownMessagesDelivered() {
        return sender == null || minDelivered(mySender) >= sender.written();
    }

    /**
     * True once the trim was handed to delivery and every batch of this view came back from the
     * application: the replicated state then reflects exactly the view's deliveries (state transfer
     * snapshots it at the install).
     */
    boolean trimDelivered() {
        return trimDelivered && batchesInFlight == 0;
    }

    /** My messages past the trim, to send again in the next view (empty if I am not a sender). */
    java.util.List<byte[]> undeliveredOwn(long[] trim) {
        if (sender == null) {
            return java.util.List.of();
        }
        return sender.writtenFrom(trim[mySender], i -> {
            LargeTransfer t = ownLarge.get(i);
            return t != null ? t.data : sender.largeOut.poll();
        });
    }

    int[] memberRows() {
        return memberRow;
    }

    /** How far each member got, as this member sees it through the SST. */
    ShardFrontier frontier() {
        int m = memberRow.length;
        long[] receivedSeq = new long[m];
        long[] deliveredSeq = new long[m];
        for (int i = 0; i < m; i++) {
            receivedSeq[i] = sst.getLong(memberRow[i], countersSection, ShardCounters.SEQ_NUM) - 1;
            deliveredSeq[i] = sst.getLong(memberRow[i], countersSection, ShardCounters.DELIVERED_SEQ) - 1;
        }
        return new ShardFrontier(layout.subgroupName(), layout.shard(), layout.members().clone(), receivedSeq, deliveredSeq);
    }

    /** The shard's protocol state as this member sees it, for diagnostics. */
    String describe() {
        StringBuilder b = new StringBuilder(layout.subgroupName()).append('/').append(layout.shard())
                .append(": received=").append(java.util.Arrays.toString(received))
                .append(" published=").append(published).append(" handedSeq=").append(handedSeq)
                .append(" inFlight=").append(batchesInFlight);
        if (sender != null) {
            b.append(" sender{").append(sender.describe()).append('}');
        }
        for (int m = 0; m < memberRow.length; m++) {
            int row = memberRow[m];
            b.append("\n    node ").append(layout.members()[m]).append(": seqNum=")
                    .append(sst.getLong(row, countersSection, ShardCounters.SEQ_NUM) - 1)
                    .append(" deliveredSeq=").append(sst.getLong(row, countersSection, ShardCounters.DELIVERED_SEQ) - 1)
                    .append(" numReceived=[");
            for (int r = 0; r < k; r++) {
                b.append(r == 0 ? "" : ", ").append(sst.getLong(row, countersSection, ShardCounters.numReceived(r)));
            }
            b.append("] numDelivered=[");
            for (int r = 0; r < k; r++) {
                b.append(r == 0 ? "" : ", ").append(sst.getLong(row, countersSection, ShardCounters.numDelivered(k, r)));
            }
            b.append(']');
        }
        return b.toString();
    }

    void close(String reason) {
        if (sender != null) {
            sender.close(reason);
        }
    }
}
