package io.derecho.membership;

import io.derecho.config.GroupConfig;
import io.derecho.config.MemberSpec;
import io.derecho.fabric.Environment;
import io.derecho.fabric.InboundHandler;
import io.derecho.multicast.DeliverySink;
import io.derecho.multicast.GroupLayout;
import io.derecho.multicast.MulticastGroup;
import io.derecho.multicast.ShardLayout;
import io.derecho.multicast.ShardSender;
import io.derecho.multicast.ViewWedgedException;
import io.derecho.sst.MalformedFrameException;
import io.derecho.sst.Predicates;
import io.derecho.sst.Sst;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *   <li><b>Install</b>: the next view is the current members minus the committed removals plus
 *       the committed joins; the survivors must be a majority of the current view. The layout
 *       policy places the new view's shards (an inadequate view waits, wedged, for joins). Members
 *       new to a shard receive its state from a previous member before they deliver there. Each
 *       member then sends again, first thing in the new view, its own messages that were past the
 *       trim.</li>
 * </ol>
 *
 * <p>Joins: a joiner asks any member ({@link #onJoinRequest}); a non-leader redirects it to the
 * leader, which appends the join (id and address) to its change list like a removal, so joins and
 * failures are batched into one view change. The member holding the request sends the joiner the
 * new view; the joiner then takes part like any member ({@link #join}).
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
    /** In a change-list entry: a join (the rest is the joiner's id) rather than a removal. */
    static final long JOIN_FLAG = 1L << 40;
    /** In a suspicion column: the member is leaving cleanly (not a failure). */
    private static final long LEFT = 2;
    private static final int STARTUP_GRACE_FACTOR = 5;
    private static final int JOINER_GRACE_FACTOR = 2;
    private static final Logger LOG = LoggerFactory.getLogger(ViewManager.class);

    private final GroupConfig config;
    private final MemberSetup setup;
    private final int myNodeId;
    private final Environment env;
    private final DeliverySink sink;
    private final MembershipSettings settings;
    private final ViewListener listener;
    private final Map<Integer, List<ByteBuffer>> futureFrames = new TreeMap<>();
    private final Map<Integer, GroupSender> senders = new HashMap<>();
    private final Object viewMonitor = new Object();
    private final Map<Integer, PendingJoin> pendingJoins = new LinkedHashMap<>();
    private final Map<Long, List<byte[]>> carried = new LinkedHashMap<>();
    private final Map<Integer, StateReceiver> receiving = new HashMap<>();

    private volatile View view;
    private volatile MulticastGroup group;
    private volatile String stopped;
    private Sst sst;
    private int ms;                 // membership section id
    private int n;
    private int myRank;
    private boolean[] suspected;
    private boolean[] joinedHere;
    private long[] lastHeartbeat;
    private long[] lastSeen;
    private long heartbeat;
    private boolean wedged;
    private boolean installing;
    private boolean[] leaver;
    private volatile boolean leaveRequested;
    private Environment.Cancellable heartbeatTimer;
    private volatile long lastTick;
    private boolean ticking;        // the heartbeat runs (lastTick is meaningful)
    private JoinClient joining;

    /** A join request the leader holds until the view that adds the joiner. */
    private record PendingJoin(String address, JoinResponder responder) {
    }

    /**
     * A member of the static group {@code config} with the static layout and no state transfer;
     * call {@link #start()} once its links are up.
     */
    public ViewManager(GroupConfig config, int myNodeId, Environment env, DeliverySink sink,
                       MembershipSettings settings, ViewListener listener) {
        this(MemberSetup.of(config, myNodeId).withSettings(settings), true, env, sink, listener);
    }

    /**
     * A node described by {@code setup}. An {@code initialMember} is in view 0 (it must be one of
     * the configuration's members) and is started with {@link #start()}; otherwise the node joins a
     * running group with {@link #join}.
     */
    public ViewManager(MemberSetup setup, boolean initialMember, Environment env, DeliverySink sink,
                       ViewListener listener) {
        this.setup = setup;
        this.config = setup.config();
        this.myNodeId = setup.nodeId();
        this.env = env;
        this.sink = sink;
        this.settings = setup.settings();
        this.listener = listener;
        if (setup.address() == null || setup.address().getBytes(StandardCharsets.UTF_8).length > JoinMessages.MAX_ADDRESS_BYTES) {
            throw new IllegalArgumentException("node " + myNodeId + " needs a listen address (host:port) of at most "
                    + JoinMessages.MAX_ADDRESS_BYTES + " bytes, has " + setup.address());
        }
        if (initialMember) {
            int[] members = config.members().stream().mapToInt(MemberSpec::id).toArray();
            if (config.member(myNodeId).isEmpty()) {
                throw new IllegalArgumentException("node " + myNodeId + " is not one of the initial members "
                        + Arrays.toString(members) + " of group '" + config.groupName() + "'; it must join");
            }
            String[] addresses = config.members().stream().map(MemberSetup::address).toArray(String[]::new);
            LayoutPolicy.Placement p = setup.layouts().place(0, members, null);
            GroupLayout layout = new GroupLayout(0, members, p.shards());
            enter(new View(0, members, addresses, new int[0], new int[0], layout, p.allocation(), p.inadequate(),
                    noTransfers(layout)));
        }
    }

    /** Starts view 0 once every link is up; call once, on the protocol loop. */
    public void start() {
        long now = env.nanoTime();
        Arrays.fill(lastSeen, now);
        lastTick = now;
        startView(null);
        scheduleHeartbeat();
    }

    /**
     * Joins a running group: asks the members at {@code contacts} (any of them; non-leaders redirect
     * to the leader) until a view that contains this node arrives, a member refuses for good, or
     * {@code timeoutMillis} pass (the node then stops with the reason). Call once, on the protocol loop.
     */
    public void join(JoinTransport transport, List<String> contacts, long timeoutMillis) {
        JoinMessages.Request request = new JoinMessages.Request(JoinMessages.VERSION, config.groupName(), myNodeId,
                setup.address(), setup.layouts().fingerprint());
        joining = new JoinClient(request, contacts, transport, env, timeoutMillis * 1_000_000L, new JoinClient.Events() {
            @Override
            public void progress(String message) {
                listener.onJoinProgress(message);
            }

            @Override
            public void joined(View v) {
                joining = null;
                onJoined(v);
            }

            @Override
            public void failed(String reason) {
                joining = null;
                stop(reason);
            }
        });
        joining.start();
    }

    private void onJoined(View v) {
        if (stopped != null) {
            return;
        }
        if (!v.hasMember(myNodeId)) {
            stop("node " + myNodeId + " was sent " + v + ", which does not contain it");
            return;
        }
        enter(v);
        lastTick = env.nanoTime();
        startView(null);
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
        if (ticking && pause > settings.suspectAfterMillis() * 1_000_000L) {
            stop("node " + myNodeId + " was paused for " + pause / 1_000_000 + " ms, longer than the suspicion timeout ("
                    + settings.suspectAfterMillis() + " ms): the others have likely removed it from " + view
                    + "; it stops and must rejoin");
            return true;
        }
        return false;
    }

    /** Whether this node still waits for the state of a shard it is new to (it delivers nothing there yet). */
    public boolean awaitingState() {
        return !receiving.isEmpty();
    }

    /** The current view (null while this node is still joining). */
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

    /**
     * This view's sender for the shard; null if this node is not a sender there; {@link
     * ViewWedgedException} while there is no view to send in yet (joining, or an inadequate view).
     */
    ShardSender currentSender(int subgroup, int shard) {
        MulticastGroup g = group;
        View v = view;
        if (stopped != null) {
            throw new IllegalStateException("node " + myNodeId + " stopped: " + stopped);
        }
        if (leaveRequested) {
            throw new IllegalStateException("node " + myNodeId + " is leaving the group");
        }
        if (v == null || !v.adequate()) {
            throw new ViewWedgedException("no view to send in yet: node " + myNodeId + (v == null ? " is joining" : " waits in inadequate " + v));
        }
        ShardLayout l = g.layout().findShard(subgroup, shard);
        if (l == null || l.senderRank(myNodeId) < 0) {
            return null;
        }
        return g.sender(subgroup, shard);
    }

    /** Id of the current view, -1 while joining. */
    int viewId() {
        View v = view;
        return v == null ? -1 : v.id();
    }

    /** Waits until a view newer than {@code viewId} is installed or the node stopped. */
    void awaitViewAfter(int viewId) throws InterruptedException {
        synchronized (viewMonitor) {
            while (viewId() <= viewId && stopped == null) {
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
            if (view == null) {
                return;
            }
            group.onFrame(fromNodeId, frame);
            return;
        }
        int vid = frame.getInt(frame.position() + 1);
        int current = viewId();
        if (vid == current) {
            if (frame.get(frame.position()) == StateReceiver.FRAME_STATE) {
                onStateChunk(fromNodeId, frame);
            } else {
                group.onFrame(fromNodeId, frame);
            }
        } else if (vid > current) {
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
                && pieces[0].get(pieces[0].position()) != StateReceiver.FRAME_STATE
                && pieces[0].getInt(pieces[0].position() + 1) == viewId()) {
            group.onFrame(fromNodeId, pieces);
        } else {
            InboundHandler.super.onFrame(fromNodeId, pieces);
        }
    }

    @Override
    public void onBatchEnd() {
        if (stopped == null && view != null && !installing) {
            group.onBatchEnd();
        }
    }

    @Override
    public void onLinkDown(int nodeId, String reason) {
        if (stopped == null && view != null && view.hasMember(nodeId) && nodeId != myNodeId) {
            suspect(view.rankOf(nodeId));
            group.poke();
        }
    }

    // ---- joins (member side) ----

    /**
     * A join request arrived at this node (on the protocol loop): the leader holds it for the next
     * view change, other members redirect to the leader, and bad requests are refused with the reason.
     */
    public void onJoinRequest(JoinMessages.Request req, JoinResponder responder) {
        String refusal = checkJoin(req);
        if (refusal != null) {
            boolean retryable = refusal.startsWith("retry: ");
            responder.reply(new JoinMessages.Refused(retryable, retryable ? refusal.substring(7) : refusal), true);
            if (!retryable) {
                LOG.warn("node " + myNodeId + " refused the join of node " + req.nodeId() + ": " + refusal);
            }
            return;
        }
        int r = view.rankOf(req.nodeId());
        if (r >= 0) {
            // It joined in this view, its connection to the member that held it broke before the view reached it.
            responder.reply(new JoinMessages.Accepted(view), true);
            return;
        }
        int leader = lowestLive();
        if (leader != myRank) {
            responder.reply(new JoinMessages.Redirect(view.members()[leader], view.addresses()[leader]), true);
            return;
        }
        pendingJoins.put(req.nodeId(), new PendingJoin(req.address(), responder));
        responder.reply(new JoinMessages.Pending("node " + myNodeId + " (leader of " + view + ") adds node "
                + req.nodeId() + " in the next view change"), false);
        group.poke();
    }

    /** Why {@code req} cannot be taken now ("retry: ..." when it may be retried), or null. */
    private String checkJoin(JoinMessages.Request req) {
        if (req.version() != JoinMessages.VERSION) {
            return "join protocol version " + req.version() + " not supported; node " + myNodeId + " speaks "
                    + JoinMessages.VERSION;
        }
        if (!config.groupName().equals(req.groupName())) {
            return "group '" + req.groupName() + "' does not match this node's group '" + config.groupName() + "'";
        }
        if (req.layoutFingerprint() != setup.layouts().fingerprint()) {
            return "node " + req.nodeId() + " describes the subgroups, shards or profiles of group '"
                    + config.groupName() + "' differently from node " + myNodeId + " (layout fingerprints "
                    + Long.toHexString(req.layoutFingerprint()) + " and " + Long.toHexString(setup.layouts().fingerprint())
                    + "): every member needs the same layout configuration";
        }
        if (req.address() == null || req.address().isBlank()
                || req.address().getBytes(StandardCharsets.UTF_8).length > JoinMessages.MAX_ADDRESS_BYTES) {
            return "node " + req.nodeId() + " gave no usable listen address (" + req.address() + "; at most "
                    + JoinMessages.MAX_ADDRESS_BYTES + " bytes)";
        }
        if (req.nodeId() < 0 || req.nodeId() >= JOIN_FLAG) {
            return "invalid node id " + req.nodeId();
        }
        if (req.nodeId() == myNodeId) {
            return "duplicate node id " + myNodeId + ": this member (at " + setup.address() + ") already has it";
        }
        if (stopped != null) {
            return "retry: node " + myNodeId + " has stopped (" + stopped + ")";
        }
        if (view == null) {
            return "retry: node " + myNodeId + " is itself still joining";
        }
        int r = view.rankOf(req.nodeId());
        if (r >= 0) {
            boolean sameAddress = req.address().equals(view.addresses()[r]);
            if (!sameAddress) {
                return "duplicate node id " + req.nodeId() + ": member " + req.nodeId() + " of " + view + " listens at "
                        + view.addresses()[r] + ", the joiner at " + req.address();
            }
            boolean fresh = col(r, HEARTBEAT) == 0 && view.hasJoined(req.nodeId()) && !suspected[r];
            if (!fresh) {
                return "retry: node " + req.nodeId() + " at " + req.address() + " is still a member of " + view
                        + " (its previous incarnation has not been removed yet)";
            }
        }
        return null;
    }

    // ---- one view ----

    private void enter(View next) {
        GroupLayout layout = next.layout();
        MulticastGroup g = new MulticastGroup(layout, myNodeId, env, sink);
        sst = g.sst();
        ms = layout.membershipSection();
        n = next.members().length;
        myRank = next.rankOf(myNodeId);
        suspected = new boolean[n];
        leaver = new boolean[n];
        joinedHere = new boolean[n];
        for (int id : next.joined()) {
            joinedHere[next.rankOf(id)] = true;
        }
        lastHeartbeat = new long[n];
        lastSeen = new long[n];
        Arrays.fill(lastSeen, env.nanoTime());
        wedged = false;
        installing = false;
        // First in every pass: a suspicion, a removal or a pause must stop deliveries of this very pass.
        g.predicates().registerFirst(Predicates.Kind.RECURRENT, () -> stopped == null && !installing, this::step);
        group = g;
        view = next; // after the group: whoever sees this view finds its senders
        // The first push of this view carries a heartbeat: a row whose heartbeat is 0 was never pushed.
        sst.putLong(ms, HEARTBEAT, ++heartbeat);
    }

    /**
     * Starts the entered view: state transfers, the messages carried over from the previous view,
     * the multicast, the frames that arrived early, then the listeners.
     */
    private void startView(View previous) {
        View v = view;
        listener.beforeViewStarts(v);
        receiving.clear();
        for (ShardLayout s : v.layout().shards()) {
            int[] donors = v.donors()[s.index()];
            int[] members = s.members();
            List<Integer> mine = new ArrayList<>();
            for (int i = 0; i < members.length; i++) {
                if (donors[i] == myNodeId) {
                    mine.add(members[i]);
                }
                if (members[i] == myNodeId && donors[i] >= 0) {
                    group.holdDelivery(s.index(), true);
                    receiving.put(s.index(), new StateReceiver(s, v.id(), donors[i]));
                }
            }
            if (!mine.isEmpty()) {
                StateReceiver.send(setup.state(), s, v.id(), mine, env.outbound());
            }
        }
        if (v.adequate() && !carried.isEmpty()) {
            resendCarried(v);
        }
        group.start();
        List<ByteBuffer> early = futureFrames.remove(v.id());
        futureFrames.keySet().removeIf(id -> id < v.id());
        if (early != null) {
            for (ByteBuffer f : early) {
                int from = f.getInt();
                onFrame(from, f);
            }
            group.onBatchEnd();
        }
        synchronized (viewMonitor) {
            viewMonitor.notifyAll();
        }
        answerJoiners(v);
        listener.onViewInstalled(v);
    }

    private void resendCarried(View v) {
        for (Map.Entry<Long, List<byte[]>> e : carried.entrySet()) {
            int subgroup = (int) (e.getKey() >> 32);
            int shard = (int) (long) e.getKey();
            ShardLayout l = v.layout().findShard(subgroup, shard);
            if (l == null || l.senderRank(myNodeId) < 0) {
                LOG.warn("node " + myNodeId + " is no longer a sender of subgroup " + subgroup + " shard " + shard
                        + " in " + v + ": " + e.getValue().size() + " messages past the last trim are dropped");
                continue;
            }
            ShardSender s = group.sender(subgroup, shard);
            for (byte[] m : e.getValue()) {
                if (s.trySendOwned(m) < 0) {
                    throw new IllegalStateException("the new view's window cannot hold the messages to send again");
                }
            }
        }
        carried.clear();
    }

    /** Sends the view to the joiners of {@code v} whose requests this node holds; redirects the rest to the leader. */
    private void answerJoiners(View v) {
        if (pendingJoins.isEmpty()) {
            return;
        }
        int leader = lowestLive();
        for (var it = pendingJoins.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (v.hasMember(e.getKey())) {
                e.getValue().responder().reply(new JoinMessages.Accepted(v), true);
                it.remove();
            } else if (leader != myRank) {
                e.getValue().responder().reply(new JoinMessages.Redirect(v.members()[leader], v.addresses()[leader]), true);
                it.remove();
            }
        }
        if (!pendingJoins.isEmpty()) {
            group.poke(); // joiners that did not fit in this view change go into the next one
        }
    }

    private void onStateChunk(int from, ByteBuffer frame) {
        StateReceiver r = receiving.get(StateReceiver.shardOf(frame));
        if (r == null) {
            throw new MalformedFrameException("state chunk from node " + from + " for shard "
                    + StateReceiver.shardOf(frame) + ", for which node " + myNodeId + " expects no state in " + view);
        }
        String error = r.onChunk(from, frame);
        if (error != null) {
            stop("node " + myNodeId + " could not take over the state of " + r.shard() + ": " + error);
            return;
        }
        if (r.complete()) {
            try {
                r.apply(setup.state());
            } catch (IOException | RuntimeException e) {
                stop("node " + myNodeId + " could not apply the state of " + r.shard() + " from node " + r.donor()
                        + ": " + e);
                return;
            }
            receiving.remove(r.shard().index());
            group.holdDelivery(r.shard().index(), false);
            listener.onStateReceived(r.shard(), r.donor(), r.bytes(), r.chunks());
            group.poke();
        }
    }

    private void scheduleHeartbeat() {
        ticking = true;
        heartbeatTimer = env.schedule(settings.heartbeatMillis() * 1_000_000L, () -> {
            if (stopped != null || pausedTooLong()) {
                return;
            }
            lastTick = env.nanoTime();
            if (!installing) {
                sst.putLong(ms, HEARTBEAT, ++heartbeat);
                group.poke();
            }
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

    private int maxChanges() {
        return n + GroupLayout.JOIN_SLOTS;
    }

    private int addressCol(int joinSlot, int word) {
        return 64 + 8 * n + 8 * maxChanges() + 8 * (GroupLayout.ADDRESS_LONGS * joinSlot + word);
    }

    /** Suspects {@code rank}; the column says 1 for a failure, {@link #LEFT} for a clean leaver. */
    private void suspect(int rank) {
        if (rank != myRank && (!suspected[rank] || (leaver[rank] && col(myRank, suspectedCol(rank)) != LEFT))) {
            boolean fresh = !suspected[rank];
            suspected[rank] = true;
            sst.putLong(ms, suspectedCol(rank), leaver[rank] ? LEFT : 1);
            if (fresh && !leaver[rank]) {
                listener.onFailureSuspected(view.members()[rank]);
            }
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
        if (leaver[myRank] && everyoneLeaving()) {
            // The whole group is shutting down: no one stays to install a view without the leavers,
            // and each has delivered everything it sent everywhere. Stop rather than go on alone.
            stop("node " + myNodeId + " left the group cleanly (every member of " + view + " is leaving)");
            return;
        }
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
            if (removedRanks((int) col(myRank, NUM_COMMITTED)).contains(myRank)) {
                stop(leaveRequested ? "node " + myNodeId + " left the group cleanly (" + view + ")"
                        : "node " + myNodeId + " was removed from " + view + " (suspected by the other members)");
                return;
            }
            cleanUpRaggedEdges();
        }
    }

    /** Every other member of the view is leaving cleanly or already suspected: nobody stays. */
    private boolean everyoneLeaving() {
        for (int r = 0; r < n; r++) {
            if (r != myRank && !leaver[r] && !suspected[r]) {
                return false;
            }
        }
        return true;
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
            } else if (now - lastSeen[r] > graceFor(r, hb) * limit) {
                suspect(r);
            }
        }
        for (int x = 0; x < n; x++) {
            if (x == myRank || suspected[x]) {
                continue;
            }
            for (int r = 0; r < n; r++) {
                long s = r == x ? 0 : col(x, suspectedCol(r));
                if (s == LEFT && !leaver[r]) {
                    leaver[r] = true; // x saw r's leave flag before this node did
                }
                if (s != 0) {
                    suspect(r);
                }
            }
        }
    }

    /**
     * How many suspicion timeouts a silent member gets: a member never heard from in this view may
     * still be connecting (at start-up: processes start at different times; a joiner: it is just
     * receiving its view).
     */
    private int graceFor(int rank, long heartbeatSeen) {
        if (heartbeatSeen != 0) {
            return 1;
        }
        return view.id() == 0 ? STARTUP_GRACE_FACTOR : joinedHere[rank] ? JOINER_GRACE_FACTOR : 1;
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
            mine = proposeChanges((int) mine);
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

    /** The leader appends the removal of every suspected member and the pending joins that fit. */
    private int proposeChanges(int count) {
        List<Integer> removed = removedRanks(count);
        for (int r = 0; r < n; r++) {
            if (suspected[r] && !removed.contains(r)) {
                sst.putLong(ms, changeCol(count++), view.members()[r]);
            }
        }
        List<Integer> joins = joinedIds(count);
        for (var it = pendingJoins.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().responder().isOpen()) {
                it.remove(); // the joiner gave up (or died) before it was proposed
                continue;
            }
            if (joins.contains(e.getKey()) || view.hasMember(e.getKey())) {
                continue;
            }
            if (joins.size() == GroupLayout.JOIN_SLOTS || count == maxChanges()) {
                break;
            }
            writeAddress(joins.size(), e.getValue().address());
            sst.putLong(ms, changeCol(count++), JOIN_FLAG | e.getKey());
            joins.add(e.getKey());
        }
        sst.putLong(ms, NUM_CHANGES, count);
        return count;
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
        for (int w = 0; w < GroupLayout.JOIN_SLOTS * GroupLayout.ADDRESS_LONGS; w++) {
            sst.putLong(ms, addressCol(0, w), col(from, addressCol(0, w)));
        }
        sst.putLong(ms, NUM_CHANGES, count);
    }

    private void writeAddress(int joinSlot, String address) {
        byte[] utf8 = address.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 * GroupLayout.ADDRESS_LONGS);
        b.put(utf8).rewind();
        for (int w = 0; w < GroupLayout.ADDRESS_LONGS; w++) {
            sst.putLong(ms, addressCol(joinSlot, w), b.getLong());
        }
    }

    private String readAddress(int joinSlot) {
        ByteBuffer b = ByteBuffer.allocate(8 * GroupLayout.ADDRESS_LONGS);
        for (int w = 0; w < GroupLayout.ADDRESS_LONGS; w++) {
            b.putLong(col(myRank, addressCol(joinSlot, w)));
        }
        int len = 0;
        while (len < b.capacity() && b.get(len) != 0) {
            len++;
        }
        return new String(b.array(), 0, len, StandardCharsets.UTF_8);
    }

    /** Ranks removed by the first {@code count} changes of my list. */
    private List<Integer> removedRanks(int count) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long c = col(myRank, changeCol(i));
            if ((c & JOIN_FLAG) == 0) {
                out.add(view.rankOf((int) c));
            }
        }
        return out;
    }

    /** Node ids joined by the first {@code count} changes of my list, in order (their address slots). */
    private List<Integer> joinedIds(int count) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long c = col(myRank, changeCol(i));
            if ((c & JOIN_FLAG) != 0) {
                out.add((int) (c & ~JOIN_FLAG));
            }
        }
        return out;
    }

    private void cleanUpRaggedEdges() {
        int committed = (int) col(myRank, NUM_COMMITTED);
        List<Integer> leaving = removedRanks(committed);
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
            if (group.deliveryHeld(s.index())) {
                StateReceiver r = receiving.get(s.index());
                if (r != null && leaving.contains(view.rankOf(r.donor()))) {
                    stop("node " + myNodeId + " lost the donor of its state for " + s + " (node " + r.donor()
                            + ") before the transfer completed; it stops and must rejoin");
                    return;
                }
                allDelivered = false; // the state is on its way: deliver up to the trim once it is applied
                continue;
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
        int committed = (int) col(myRank, NUM_COMMITTED);
        List<Integer> removedRanks = removedRanks(committed);
        List<Integer> joiners = joinedIds(committed);
        int[] departed = removedRanks.stream().mapToInt(r -> old.members()[r]).toArray();
        List<Integer> members = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        int cleanLeavers = 0;
        for (int r = 0; r < n; r++) {
            if (!removedRanks.contains(r)) {
                members.add(old.members()[r]);
                addresses.add(old.addresses()[r]);
            } else if (leaver[r]) {
                cleanLeavers++;
            }
        }
        int survivors = members.size();
        if (settings.partitionSafety() && 2 * survivors <= n - cleanLeavers) {
            stop("node " + myNodeId + " would install a view of " + survivors + " of the "
                    + (n - cleanLeavers) + " members of " + old + " that did not leave, not a majority");
            return;
        }
        for (int k = 0; k < joiners.size(); k++) {
            members.add(joiners.get(k));
            addresses.add(readAddress(k));
        }
        for (ShardLayout s : group.myShards()) {
            List<byte[]> mine = group.undeliveredOwn(s.index(), group.trimOf(s.index(), myRank));
            if (!mine.isEmpty()) {
                carried.computeIfAbsent(shardKey(s.subgroup(), s.shard()), k -> new ArrayList<>()).addAll(mine);
            }
        }
        group.close("view " + old.id() + " ended");
        int id = old.id() + 1;
        int[] next = members.stream().mapToInt(Integer::intValue).toArray();
        LayoutPolicy.Placement p = setup.layouts().place(id, next, old.allocation());
        GroupLayout layout = new GroupLayout(id, next, p.shards());
        View v = new View(id, next, addresses.toArray(String[]::new), departed,
                joiners.stream().mapToInt(Integer::intValue).toArray(), layout, p.allocation(), p.inadequate(),
                donors(old, layout));
        enter(v);
        startView(old);
    }

    /**
     * For each shard of the new layout and each of its members: who sends it the shard's state. A
     * member that already held the shard needs nothing; a new one gets it from the first member that
     * held it (in the previous view, or in the last adequate layout while the group was inadequate).
     */
    private static int[][] donors(View old, GroupLayout next) {
        List<ShardLayout> holders = old.layout().shards();
        if (!old.adequate() && old.allocation() != null) {
            var last = old.allocation().lastAdequate();
            holders = last == null ? List.of() : last.shards();
        }
        int[][] out = new int[next.shards().size()][];
        for (ShardLayout s : next.shards()) {
            ShardLayout before = null;
            for (ShardLayout h : holders) {
                if (h.subgroup() == s.subgroup() && h.shard() == s.shard()) {
                    before = h;
                }
            }
            int donor = View.NO_DONOR;
            for (int m : s.members()) {
                if (before != null && before.hasMember(m) && old.hasMember(m) && donor == View.NO_DONOR) {
                    donor = m;
                }
            }
            int[] d = new int[s.members().length];
            for (int i = 0; i < d.length; i++) {
                int m = s.members()[i];
                boolean held = before != null && before.hasMember(m) && old.hasMember(m);
                d[i] = held ? View.NO_TRANSFER : donor;
            }
            out[s.index()] = d;
        }
        return out;
    }

    private static int[][] noTransfers(GroupLayout layout) {
        int[][] out = new int[layout.shards().size()][];
        for (ShardLayout s : layout.shards()) {
            out[s.index()] = new int[s.members().length];
            Arrays.fill(out[s.index()], View.NO_TRANSFER);
        }
        return out;
    }


    private static long shardKey(int subgroup, int shard) {
        return ((long) subgroup << 32) | (shard & 0xffffffffL);
    }

    private void stop(String reason) {
        if (stopped != null) {
            return;
        }
        stopped = reason;
        if (group != null) {
            group.close(reason);
        }
        if (joining != null) {
            joining.cancel();
        }
        if (heartbeatTimer != null) {
            heartbeatTimer.cancel();
        }
        for (PendingJoin p : pendingJoins.values()) {
            p.responder().reply(new JoinMessages.Refused(true, "node " + myNodeId + " stopped: " + reason), true);
        }
        pendingJoins.clear();
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
            if (stopped == null && view != null && view.hasMember(nodeId) && nodeId != myNodeId) {
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
            if (stopped == null && group != null) {
                group.poke();
            }
        });
    }

    /** Stops this node's protocol (shutdown or a test's crash). */
    public void close(String reason) {
        stop(reason);
    }

    /** This node's view of the protocol: view, pending changes, suspicions, shard frontiers. Protocol loop only. */
    public NodeStatus status() {
        if (view == null) {
            return new NodeStatus(myNodeId, null, stopped, List.of(), List.of(), false, List.of());
        }
        int committed = (int) col(myRank, NUM_COMMITTED);
        List<String> changes = new ArrayList<>();
        for (int i = 0; i < col(myRank, NUM_CHANGES); i++) {
            long c = col(myRank, changeCol(i));
            String what = (c & JOIN_FLAG) != 0 ? "add node " + (c & ~JOIN_FLAG) : "remove node " + c;
            changes.add(what + (i < committed ? " (committed)" : " (proposed)"));
        }
        List<Integer> suspects = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            if (suspected[r]) {
                suspects.add(view.members()[r]);
            }
        }
        return new NodeStatus(myNodeId, view, stopped, changes, suspects, wedged, group.frontiers());
    }

    /** Diagnostics: the view and the membership columns of every row, as text; see {@link #status()}. */
    public String describe() {
        StringBuilder b = new StringBuilder("node ").append(myNodeId).append(' ').append(view)
                .append(stopped == null ? "" : " STOPPED: " + stopped);
        if (view == null) {
            return b.append(" (joining)").toString();
        }
        for (int r = 0; r < n; r++) {
            b.append("\n  row ").append(view.members()[r]).append(": hb=").append(col(r, HEARTBEAT))
                    .append(" wedged=").append(col(r, WEDGED)).append(" changes=").append(col(r, NUM_CHANGES))
                    .append(" acked=").append(col(r, NUM_ACKED)).append(" committed=").append(col(r, NUM_COMMITTED))
                    .append(" suspectedHere=").append(suspected[r]);
        }
        return b.append('\n').append(group.describe()).toString();
    }
}
