package io.derecho.membership;

import io.derecho.config.GroupConfig;
import io.derecho.fabric.Environment;
import io.derecho.fabric.InboundHandler;
import io.derecho.multicast.DeliverySink;
import io.derecho.multicast.GroupLayout;
import io.derecho.multicast.MulticastGroup;
import io.derecho.multicast.ShardLayout;
import io.derecho.multicast.ShardSender;
import io.derecho.sst.Predicates;
import io.derecho.sst.Sst;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One node's membership: the current view and its multicast, failure detection through SST
 * heartbeats, and the view-change protocol of virtual synchrony (crash failures).
 *
 * <p>Protocol, all through the membership section of the SST, evaluated after every batch:
 * <ol>
 *   <li><b>Suspicion</b>: a member whose heartbeat has not moved for {@code suspectAfter}, or
 *       whose link broke, is suspected; a suspicion any live member publishes is adopted.</li>
 *   <li><b>Proposal</b>: the leader, the lowest-ranked unsuspected member, appends the removal of
 *       each suspected member to its change list (adopting the longest list of any live member
 *       first, which is how a new leader takes over mid-change); every member copies the
 *       leader's list and acknowledges it.</li>
 *   <li><b>Wedge</b>: a member with a pending change stops sending and stops stability-driven
 *       delivery in this view.</li>
 *   <li><b>Commit</b>: once every live member acknowledged the list, the leader commits it; the
 *       list is then frozen for this view (later failures go to the next one).</li>
 *   <li><b>Ragged trim</b>: per shard, once every live shard member is wedged, the shard leader
 *       publishes for each sender the least number of its messages any live member received;
 *       the other members echo it; every member delivers exactly up to the trim.</li>
 *   <li><b>Install</b>: the next view is the current members minus the committed removals; it
 *       must keep a majority of the current view. Each member then sends again, first thing in
 *       the new view, its own messages that were past the trim.</li>
 * </ol>
 * Runs on the protocol loop only, except {@link #sender} lookups.
 */
public final class ViewManager implements InboundHandler {
    static final int HEARTBEAT = 0;
    static final int WEDGED = 8;
    static final int NUM_CHANGES = 16;
    static final int NUM_ACKED = 24;
    static final int NUM_COMMITTED = 32;
    static final int LEAVING = 40;
    static final int CLEANED_UP = 48;
    private static final int STARTUP_GRACE_FACTOR = 5;

    private final GroupConfig config;
    private final int myNodeId;
    private final Environment env;
    private final DeliverySink sink;
    private final MembershipSettings settings;
    private final ViewListener listener;
    private final Map<Integer, List<ByteBuffer>> futureFrames = new TreeMap<>();
    private final Map<Integer, GroupSender> senders = new HashMap<>();
    private final Object viewMonitor = new Object();

    private volatile View view;
    private volatile MulticastGroup group;
    private volatile String stopped;
    private Sst sst;
    private int ms;                 // membership section id
    private int n;
    private int myRank;
    private boolean[] suspected;
    private long[] lastHeartbeat;
    private long[] lastSeen;
    private long heartbeat;
    private boolean wedged;
    private boolean installing;
    private boolean[] leaver;
    private volatile boolean leaveRequested;
    private Environment.Cancellable heartbeatTimer;
    private volatile long lastTick;

    public ViewManager(GroupConfig config, int myNodeId, Environment env, DeliverySink sink,
                       MembershipSettings settings, ViewListener listener) {
        this.config = config;
        this.myNodeId = myNodeId;
        this.env = env;
        this.sink = sink;
        this.settings = settings;
        this.listener = listener;
        GroupLayout first = GroupLayout.fromConfig(config);
        enter(new View(0, first.members(), new int[0], first));
    }

    /** Starts the first view once every link is up; call once, on the protocol loop. */
    public void start() {
        // Failure detection starts now, with the view, not when this object was built (links may have
        // taken a while to come up).
        long now = env.nanoTime();
        java.util.Arrays.fill(lastSeen, now);
        lastTick = now;
        group.start();
        listener.onViewInstalled(view);
        scheduleHeartbeat();
    }

    /**
     * When this node last ran its heartbeat ({@link Environment#nanoTime} of the protocol loop): a
     * delivery thread that finds it older than the suspicion timeout knows the node was paused.
     */
    public long lastHeartbeatTick() {
        return lastTick;
    }

    public MembershipSettings settings() {
        return settings;
    }

    /**
     * A node that was frozen (SIGSTOP, a very long pause) longer than the suspicion timeout has most
     * likely been removed by the others; it must not deliver in a view it may no longer belong to.
     */
    private boolean pausedTooLong() {
        long now = env.nanoTime();
        long pause = now - lastTick;
        if (lastTick != 0 && pause > settings.suspectAfterMillis() * 1_000_000L) {
            stop("node " + myNodeId + " was paused for " + pause / 1_000_000 + " ms, longer than the suspicion timeout ("
                    + settings.suspectAfterMillis() + " ms): the others have likely removed it from " + view
                    + "; it stops and must rejoin");
            return true;
        }
        return false;
    }

    public View view() {
        return view;
    }

    public MulticastGroup group() {
        return group;
    }

    /** Why this node stopped, or null while it runs. */
    public String stoppedReason() {
        return stopped;
    }

    /** The application's sender into a shard, valid across views. */
    public synchronized GroupSender sender(int subgroup, int shard) {
        return senders.computeIfAbsent(subgroup * 65536 + shard, k -> new GroupSender(this, subgroup, shard));
    }

    /** This view's sender for the shard, or null if this node is not a sender there (or stopped). */
    ShardSender currentSender(int subgroup, int shard) {
        MulticastGroup g = group;
        if (stopped != null) {
            throw new IllegalStateException("node " + myNodeId + " stopped: " + stopped);
        }
        if (leaveRequested) {
            throw new IllegalStateException("node " + myNodeId + " is leaving the group");
        }
        ShardLayout l = g.layout().findShard(subgroup, shard);
        if (l == null || l.senderRank(myNodeId) < 0) {
            return null;
        }
        return g.sender(subgroup, shard);
    }

    /** Waits until a view newer than {@code viewId} is installed or the node stopped. */
    void awaitViewAfter(int viewId) throws InterruptedException {
        synchronized (viewMonitor) {
            while (view.id() <= viewId && stopped == null) {
                viewMonitor.wait();
            }
        }
    }

    // ---- inbound ----

    @Override
    public void onFrame(int fromNodeId, ByteBuffer frame) {
        if (stopped != null) {
            return;
        }
        if (frame.remaining() < 5) {
            group.onFrame(fromNodeId, frame);
            return;
        }
        int vid = frame.getInt(frame.position() + 1);
        if (vid == view.id()) {
            group.onFrame(fromNodeId, frame);
        } else if (vid > view.id()) {
            ByteBuffer copy = ByteBuffer.allocate(frame.remaining() + 4);
            copy.putInt(fromNodeId).put(frame.duplicate()).flip();
            futureFrames.computeIfAbsent(vid, k -> new ArrayList<>()).add(copy);
        }
        // Frames of earlier views are late copies of a finished epoch: dropped.
    }

    /** A frame in pieces (a large block): passed on as pieces when it belongs to the current view. */
    @Override
    public void onFrame(int fromNodeId, ByteBuffer[] pieces) {
        if (stopped == null && pieces.length > 1 && pieces[0].remaining() >= 5
                && pieces[0].getInt(pieces[0].position() + 1) == view.id()) {
            group.onFrame(fromNodeId, pieces);
        } else {
            InboundHandler.super.onFrame(fromNodeId, pieces);
        }
    }

    @Override
    public void onBatchEnd() {
        if (stopped == null) {
            group.onBatchEnd();
        }
    }

    @Override
    public void onLinkDown(int nodeId, String reason) {
        if (stopped == null && view.hasMember(nodeId) && nodeId != myNodeId) {
            suspect(view.rankOf(nodeId));
            group.poke();
        }
    }

    // ---- one view ----

    private void enter(View next) {
        view = next;
        GroupLayout layout = next.layout();
        MulticastGroup g = new MulticastGroup(layout, myNodeId, env, sink);
        sst = g.sst();
        ms = layout.membershipSection();
        n = next.members().length;
        myRank = next.rankOf(myNodeId);
        suspected = new boolean[n];
        leaver = new boolean[n];
        lastHeartbeat = new long[n];
        lastSeen = new long[n];
        java.util.Arrays.fill(lastSeen, env.nanoTime());
        wedged = false;
        installing = false;
        // First in every pass: a suspicion, a removal or a pause must stop deliveries of this very pass.
        g.predicates().registerFirst(Predicates.Kind.RECURRENT, () -> stopped == null && !installing, this::step);
        group = g;
    }

    private void scheduleHeartbeat() {
        heartbeatTimer = env.schedule(settings.heartbeatMillis() * 1_000_000L, () -> {
            if (stopped != null || pausedTooLong()) {
                return;
            }
            lastTick = env.nanoTime();
            sst.putLong(ms, HEARTBEAT, ++heartbeat);
            group.poke();
            scheduleHeartbeat();
        });
    }

    private long col(int row, int offset) {
        return sst.getLong(row, ms, offset);
    }

    private static int suspectedCol(int rank) {
        return 64 + 8 * rank;
    }

    private int changeCol(int i) {
        return 64 + 8 * n + 8 * i;
    }

    private void suspect(int rank) {
        if (rank != myRank && !suspected[rank]) {
            suspected[rank] = true;
            sst.putLong(ms, suspectedCol(rank), 1);
        }
    }

    /** One evaluation of the membership protocol (a predicate, after every batch). */
    private void step() {
        if (pausedTooLong()) {
            return;
        }
        if (leaveRequested && col(myRank, LEAVING) == 0 && group.ownMessagesDelivered()) {
            sst.putLong(ms, LEAVING, 1); // flushed: everything this node sent is delivered everywhere
        }
        detectFailures();
        int live = 0;
        int stayers = 0;
        for (int r = 0; r < n; r++) {
            if (!leaver[r]) {
                stayers++;
                live += suspected[r] ? 0 : 1;
            }
        }
        if (settings.partitionSafety() && 2 * live <= stayers && !leaver[myRank]) {
            stop(new PartitionedException("node " + myNodeId + " sees only " + live + " of the " + stayers
                    + " members of " + view + " that are not leaving, and stops: a minority must not install views"
                    + " or deliver").getMessage());
            return;
        }
        int leader = lowestLive();
        if (leader == myRank) {
            lead();
        } else {
            follow(leader);
        }
        if (col(myRank, NUM_CHANGES) > 0 && !wedged) {
            wedged = true;
            sst.putLong(ms, WEDGED, 1);
            group.wedge();
        }
        if (col(myRank, NUM_COMMITTED) > 0) {
            if (committedRanks().contains(myRank)) {
                stop(leaveRequested ? "node " + myNodeId + " left the group cleanly (" + view + ")"
                        : "node " + myNodeId + " was removed from " + view + " (suspected by the other members)");
                return;
            }
            cleanUpRaggedEdges();
        }
    }

    private void detectFailures() {
        long now = env.nanoTime();
        long limit = settings.suspectAfterMillis() * 1_000_000L;
        for (int r = 0; r < n; r++) {
            if (col(r, LEAVING) != 0 && !leaver[r]) {
                leaver[r] = true; // a clean leave: removed like a failure, but not counted against the majority
                suspect(r);
            }
            if (r == myRank || suspected[r]) {
                continue;
            }
            long hb = col(r, HEARTBEAT);
            if (hb != lastHeartbeat[r]) {
                lastHeartbeat[r] = hb;
                lastSeen[r] = now;
            } else if (now - lastSeen[r] > (hb == 0 && view.id() == 0 ? STARTUP_GRACE_FACTOR * limit : limit)) {
                // At start-up a member with no heartbeat yet may still be connecting to the others: it gets longer.
                suspect(r);
            }
        }
        for (int x = 0; x < n; x++) {
            if (x == myRank || suspected[x]) {
                continue;
            }
            for (int r = 0; r < n; r++) {
                if (r != x && col(x, suspectedCol(r)) != 0) {
                    suspect(r);
                }
            }
        }
    }

    private int lowestLive() {
        for (int r = 0; r < n; r++) {
            if (!suspected[r] && !leaver[r]) {
                return r;
            }
        }
        return myRank;
    }

    private void lead() {
        long mine = col(myRank, NUM_CHANGES);
        boolean frozen = col(myRank, NUM_COMMITTED) > 0;
        for (int x = 0; x < n; x++) {
            if (x != myRank && !suspected[x]) {
                frozen |= col(x, NUM_COMMITTED) > 0;
                if (col(x, NUM_CHANGES) > mine) {
                    copyChanges(x);
                    mine = col(myRank, NUM_CHANGES);
                }
            }
        }
        if (!frozen) {
            List<Integer> listed = changedRanks((int) mine);
            for (int r = 0; r < n; r++) {
                if (suspected[r] && !listed.contains(r)) {
                    sst.putLong(ms, changeCol((int) mine), view.members()[r]);
                    mine++;
                }
            }
            sst.putLong(ms, NUM_CHANGES, mine);
        }
        sst.putLong(ms, NUM_ACKED, mine);
        if (mine == 0 || col(myRank, NUM_COMMITTED) == mine) {
            return;
        }
        for (int x = 0; x < n; x++) {
            if (!suspected[x] && col(x, NUM_ACKED) < mine) {
                return;
            }
        }
        sst.putLong(ms, NUM_COMMITTED, mine);
    }

    private void follow(int leader) {
        if (col(leader, NUM_CHANGES) > col(myRank, NUM_CHANGES)) {
            copyChanges(leader);
        }
        sst.putLong(ms, NUM_ACKED, col(myRank, NUM_CHANGES));
        long committed = Math.min(col(leader, NUM_COMMITTED), col(myRank, NUM_CHANGES));
        if (committed > col(myRank, NUM_COMMITTED)) {
            sst.putLong(ms, NUM_COMMITTED, committed);
        }
    }

    private void copyChanges(int from) {
        long count = col(from, NUM_CHANGES);
        for (int i = 0; i < count; i++) {
            sst.putLong(ms, changeCol(i), col(from, changeCol(i)));
        }
        sst.putLong(ms, NUM_CHANGES, count);
    }

    private List<Integer> changedRanks(int count) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(view.rankOf((int) col(myRank, changeCol(i))));
        }
        return out;
    }

    private List<Integer> committedRanks() {
        return changedRanks((int) col(myRank, NUM_COMMITTED));
    }

    private void cleanUpRaggedEdges() {
        List<Integer> leaving = committedRanks();
        java.util.function.IntPredicate live = row -> !suspected[row] && !leaving.contains(row);
        boolean allDelivered = true;
        for (ShardLayout s : group.myShards()) {
            int[] rows = group.shardMemberRows(s.index());
            int shardLeader = -1;
            int echoed = -1;
            boolean allWedged = true;
            for (int row : rows) {
                if (!live.test(row)) {
                    continue;
                }
                if (shardLeader < 0 || row < shardLeader) {
                    shardLeader = row;
                }
                if (echoed < 0 && group.trimReady(s.index(), row)) {
                    echoed = row;
                }
                allWedged &= col(row, WEDGED) != 0;
            }
            if (!group.trimReady(s.index(), myRank)) {
                if (echoed >= 0) {
                    // Somebody already holds a trim (published by a leader, perhaps one that failed since): that
                    // one, and no other, is this shard's trim.
                    group.adoptTrim(s.index(), group.trimOf(s.index(), echoed));
                } else if (shardLeader == myRank && allWedged) {
                    group.adoptTrim(s.index(), group.computeTrim(s.index(), live));
                }
            }
            if (group.trimReady(s.index(), myRank)) {
                group.deliverUpToTrim(s.index(), group.trimOf(s.index(), myRank));
            }
            allDelivered &= group.trimDelivered(s.index());
        }
        if (!allDelivered) {
            return;
        }
        sst.putLong(ms, CLEANED_UP, 1);
        // Nobody moves on while a live member still waits for a trim: if its shard leader failed, the next
        // one (still in this view) publishes it. Frames of the next view from a member that already moved on
        // prove that it saw everyone cleaned up (members that stopped pushing this view can no longer say so).
        boolean othersMovedOn = futureFrames.containsKey(view.id() + 1);
        for (int r = 0; r < n && !othersMovedOn; r++) {
            if (live.test(r) && col(r, CLEANED_UP) == 0) {
                return;
            }
        }
        installing = true;
        env.execute(this::installNextView);
    }

    private void installNextView() {
        if (stopped != null) {
            return;
        }
        View old = view;
        List<Integer> leaving = new ArrayList<>();
        for (int r : committedRanks()) {
            leaving.add(old.members()[r]);
        }
        int[] next = java.util.Arrays.stream(old.members()).filter(id -> !leaving.contains(id)).toArray();
        int cleanLeavers = 0;
        for (int r : committedRanks()) {
            cleanLeavers += leaver[r] ? 1 : 0;
        }
        if (settings.partitionSafety() && 2 * next.length <= old.members().length - cleanLeavers) {
            stop("node " + myNodeId + " would install a view of " + next.length + " of the "
                    + (old.members().length - cleanLeavers) + " members of " + old + " that did not leave, not a majority");
            return;
        }
        Map<Long, List<byte[]>> resend = new HashMap<>();
        MulticastGroup oldGroup = group;
        for (ShardLayout s : oldGroup.myShards()) {
            List<byte[]> mine = oldGroup.undeliveredOwn(s.index(), oldGroup.trimOf(s.index(), myRank));
            if (!mine.isEmpty()) {
                resend.put(shardKey(s.subgroup(), s.shard()), mine);
            }
        }
        oldGroup.close("view " + old.id() + " ended");
        GroupLayout layout = GroupLayout.fromConfig(config, old.id() + 1, next);
        enter(new View(old.id() + 1, next, leaving.stream().mapToInt(Integer::intValue).toArray(), layout));
        for (Map.Entry<Long, List<byte[]>> e : resend.entrySet()) {
            int subgroup = (int) (e.getKey() >> 32);
            int shard = (int) (long) e.getKey();
            ShardLayout l = layout.findShard(subgroup, shard);
            if (l == null || l.senderRank(myNodeId) < 0) {
                continue;
            }
            ShardSender s = group.sender(subgroup, shard);
            for (byte[] m : e.getValue()) {
                if (s.trySendOwned(m) < 0) {
                    throw new IllegalStateException("the new view's window cannot hold the messages to send again");
                }
            }
        }
        group.start();
        List<ByteBuffer> early = futureFrames.remove(view.id());
        futureFrames.keySet().removeIf(v -> v < view.id());
        if (early != null) {
            for (ByteBuffer f : early) {
                int from = f.getInt();
                group.onFrame(from, f);
            }
            group.onBatchEnd();
        }
        synchronized (viewMonitor) {
            viewMonitor.notifyAll();
        }
        listener.onViewInstalled(view);
    }

    private static long shardKey(int subgroup, int shard) {
        return ((long) subgroup << 32) | (shard & 0xffffffffL);
    }

    private void stop(String reason) {
        if (stopped != null) {
            return;
        }
        stopped = reason;
        group.close(reason);
        if (heartbeatTimer != null) {
            heartbeatTimer.cancel();
        }
        synchronized (viewMonitor) {
            viewMonitor.notifyAll();
        }
        listener.onStopped(reason);
    }

    /**
     * Reports {@code nodeId} as failed (the application knows better than the heartbeats, e.g. it
     * timed out on it): it is suspected at once and removed by the next view change. Callable from
     * any thread.
     */
    public void reportFailure(int nodeId) {
        env.execute(() -> {
            if (stopped == null && view.hasMember(nodeId) && nodeId != myNodeId) {
                suspect(view.rankOf(nodeId));
                group.poke();
            }
        });
    }

    /**
     * Leaves the group cleanly: no more sends; once everything this node sent is delivered by every
     * member it marks itself leaving, and the others install a view without it, without counting it
     * as a failure. The node stops when that view is committed. Callable from any thread.
     */
    public void leave() {
        leaveRequested = true;
        env.execute(() -> {
            if (stopped == null) {
                group.poke();
            }
        });
    }

    /** Stops this node's protocol (shutdown or a test's crash). */
    public void close(String reason) {
        stop(reason);
    }

    /** Diagnostics: the view and the membership columns of every row. */
    public String describe() {
        StringBuilder b = new StringBuilder("node ").append(myNodeId).append(' ').append(view)
                .append(stopped == null ? "" : " STOPPED: " + stopped);
        for (int r = 0; r < n; r++) {
            b.append("\n  row ").append(view.members()[r]).append(": hb=").append(col(r, HEARTBEAT))
                    .append(" wedged=").append(col(r, WEDGED)).append(" changes=").append(col(r, NUM_CHANGES))
                    .append(" acked=").append(col(r, NUM_ACKED)).append(" committed=").append(col(r, NUM_COMMITTED))
                    .append(" suspectedHere=").append(suspected[r]);
        }
        return b.append('\n').append(group.describe()).toString();
    }
}
