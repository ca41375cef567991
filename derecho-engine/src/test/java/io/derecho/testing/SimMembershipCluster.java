package io.derecho.testing;

import io.derecho.config.GroupConfig;
import io.derecho.config.Mode;
import io.derecho.membership.GroupSender;
import io.derecho.membership.LayoutPolicy;
import io.derecho.membership.MemberSetup;
import io.derecho.membership.MembershipSettings;
import io.derecho.membership.StateTransfer;
import io.derecho.membership.View;
import io.derecho.membership.ViewListener;
import io.derecho.membership.ViewManager;
import io.derecho.multicast.DeliveryBatch;
import io.derecho.multicast.GroupLayout;
import io.derecho.multicast.ShardLayout;
import io.derecho.sim.SimNode;
import io.derecho.sim.Simulation;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A group of simulated nodes running the real membership and multicast code, with a workload
 * and crash injection. Records every installed view and every delivery (with the view it was
 * delivered in) for {@link #check()}, which verifies view agreement, virtual synchrony, total
 * order and FIFO within each view, integrity, and that everything live senders sent reaches
 * every live member.
 */
public final class SimMembershipCluster {
    /** One delivery: in which view, which shard (subgroup, shard), from whom, which application message. */
    public record Delivery(int viewId, int subgroup, int shard, int sender, long appSeq, boolean intact) {
    }

    /**
     * The state the simulated application keeps per shard, and that state transfer moves: for each
     * sender, the sequence number of its last delivered message.
     */
    /** For tests of the checkers: donors send an empty state instead of theirs. */
    public static volatile boolean brokenStateTransfer;

    private static final class AppState implements StateTransfer {
        final Map<String, TreeMap<Integer, Long>> lastBySender = new HashMap<>();
        final Map<String, TreeMap<Integer, Long>> restored = new HashMap<>();

        void delivered(int subgroup, int shard, int sender, long seq) {
            lastBySender.computeIfAbsent(subgroup + "/" + shard, k -> new TreeMap<>()).put(sender, seq);
        }

        @Override
        public void writeState(ShardLayout shard, int viewId, OutputStream out) throws IOException {
            DataOutputStream d = new DataOutputStream(out);
            TreeMap<Integer, Long> m = brokenStateTransfer ? new TreeMap<>()
                    : lastBySender.getOrDefault(shard.subgroup() + "/" + shard.shard(), new TreeMap<>());
            d.writeInt(m.size());
            for (var e : m.entrySet()) {
                d.writeInt(e.getKey());
                d.writeLong(e.getValue());
            }
            // Padding, so that states span several chunks.
            d.write(new byte[m.size() * 40_000]);
            d.flush();
        }

        @Override
        public void readState(ShardLayout shard, int viewId, InputStream in) throws IOException {
            DataInputStream d = new DataInputStream(in);
            TreeMap<Integer, Long> m = new TreeMap<>();
            int count = d.readInt();
            for (int i = 0; i < count; i++) {
                m.put(d.readInt(), d.readLong());
            }
            if (d.skipBytes(count * 40_000) != count * 40_000 || d.read() != -1) {
                throw new IOException("state of the wrong length");
            }
            String key = shard.subgroup() + "/" + shard.shard();
            lastBySender.put(key, m);
            restored.put(key, new TreeMap<>(m));
        }
    }

    private final Simulation sim;
    private final GroupConfig config;
    private final MembershipSettings settings;
    private final Map<Integer, SimNode> nodes = new LinkedHashMap<>();
    private final Map<Integer, ViewManager> managers = new HashMap<>();
    /** Current incarnation of each node: "3" for the first, "3'" for the second, and so on. */
    private final Map<Integer, String> label = new HashMap<>();
    private final Map<String, List<Delivery>> delivered = new HashMap<>();
    private final Map<String, List<View>> views = new HashMap<>();
    private final Map<String, String> stops = new HashMap<>();
    private final Map<String, AppState> states = new HashMap<>();
    private final Set<Integer> everCrashed = new HashSet<>();
    private final Set<String> freshShards = new HashSet<>();
    private java.util.function.Consumer<GroupLayout> pendingWorkload;
    private final SimJoinNetwork joins;
    private final LayoutPolicy layouts;
    private final Map<String, Integer> nodeAt = new HashMap<>();
    private final Map<Integer, Long> lastDeliveryAt = new HashMap<>();
    private final Map<String, Long> sentCount = new HashMap<>();
    private final Set<Integer> crashed = new HashSet<>();
    private final Set<Integer> cutOff = new HashSet<>();
    private final Set<Integer> leavers = new HashSet<>();
    private final Set<Integer> paused = new HashSet<>();

    public SimMembershipCluster(Simulation sim, GroupConfig config, MembershipSettings settings) {
        this(sim, config, settings, null);
    }

    /**
     * A cluster whose views are laid out by {@code layouts} (null: the configuration's static
     * shards); with a dynamic layout, members may move between shards and new nodes may join.
     */
    public SimMembershipCluster(Simulation sim, GroupConfig config, MembershipSettings settings, LayoutPolicy layouts) {
        this.sim = sim;
        this.config = config;
        this.settings = settings;
        this.layouts = layouts;
        for (var m : config.members()) {
            nodeAt.put(MemberSetup.address(m), m.id());
        }
        this.joins = new SimJoinNetwork(sim, nodeAt, nodes::get, managers::get);
        for (var m : config.members()) {
            incarnate(m.id(), sim.addNode(m.id()), true);
        }
        for (ViewManager vm : managers.values()) {
            sim.after(0, vm::start);
        }
    }

    private ViewManager incarnate(int id, SimNode node, boolean initial) {
        String l = label.containsKey(id) ? label.get(id) + "'" : String.valueOf(id);
        label.put(id, l);
        nodes.put(id, node);
        delivered.put(l, new ArrayList<>());
        views.put(l, new ArrayList<>());
        AppState state = new AppState();
        states.put(l, state);
        MemberSetup setup = MemberSetup.of(config, id).withSettings(settings).withState(state).withAddress(addressOf(id));
        if (layouts != null) {
            setup = setup.withLayouts(layouts);
        }
        ViewManager vm = new ViewManager(setup, initial,
                node, batch -> deliverLater(node, l, batch), new ViewListener() {
                    @Override
                    public void onViewInstalled(View view) {
                        views.get(l).add(view);
                        if (pendingWorkload != null && view.adequate()) {
                            GroupLayout layout = view.layout();
                            sim.after(0, () -> {
                                if (pendingWorkload != null) {
                                    pendingWorkload.accept(layout);
                                }
                            });
                        }
                        for (ShardLayout s : view.layout().shards()) {
                            if (s.hasMember(id) && view.donorOf(s.index(), id) == View.NO_DONOR) {
                                // Nobody who held this shard survived: this replica starts it empty.
                                freshShards.add(l + "|" + s.subgroup() + "/" + s.shard());
                            }
                        }
                    }

                    @Override
                    public void onStopped(String reason) {
                        stops.put(l, reason);
                    }
                });
        node.setHandler(vm);
        managers.put(id, vm);
        return vm;
    }

    /** Where node {@code id} listens: its configured address, or a made-up one for a node that only joins. */
    private String addressOf(int id) {
        String a = config.member(id).map(MemberSetup::address).orElse("10.0." + id + ".1:7000");
        nodeAt.put(a, id);
        return a;
    }

    /** A new node {@code nodeId} (not in the configuration) joins the group at {@code at}. */
    public void joinAt(long at, int nodeId) {
        sim.at(at, () -> {
            ViewManager vm = incarnate(nodeId, sim.addNode(nodeId), false);
            List<String> contacts = config.members().stream().map(MemberSetup::address).toList();
            nodes.get(nodeId).execute(() -> vm.join(joins.transportFor(nodeId), contacts, 30_000));
        });
    }

    /**
     * Restarts the crashed node {@code nodeId} at {@code at} as a new incarnation that joins the
     * group with the same id (through any configured member) and receives its shards' state.
     */
    public void restartAt(long at, int nodeId) {
        sim.at(at, () -> {
            if (!nodes.get(nodeId).crashed()) {
                return;
            }
            crashed.remove(nodeId);
            ViewManager vm = incarnate(nodeId, sim.restartNode(nodeId), false);
            List<String> contacts = config.members().stream().filter(m -> m.id() != nodeId).map(MemberSetup::address).toList();
            nodes.get(nodeId).execute(() -> vm.join(joins.transportFor(nodeId), contacts, 30_000));
        });
    }

    private void deliverLater(SimNode node, String l, DeliveryBatch batch) {
        int delay = sim.random().nextInt(10) == 0 ? sim.random().nextInt(2_000_000) : sim.random().nextInt(5_000);
        long at = Math.max(sim.now() + delay, lastDeliveryAt.getOrDefault(node.nodeId(), 0L));
        lastDeliveryAt.put(node.nodeId(), at);
        int viewId = batch.group().layout().viewId();
        sim.at(at, () -> {
            if (node.crashed()) {
                return;
            }
            batch.deliverTo((subgroup, shard, sender, index, payload, version) -> {
                ByteBuffer p = payload.duplicate();
                int from = p.getInt(p.position());
                long seq = p.getLong(p.position() + 4);
                boolean intact = from == sender && Payloads.crc(payload) == Payloads.crc(ByteBuffer.wrap(
                        expectedPayload(payload.remaining(), subgroup * 1000 + shard, sender, seq)));
                delivered.get(l).add(new Delivery(viewId, subgroup, shard, sender, seq, intact));
                states.get(l).delivered(subgroup, shard, sender, seq);
            });
            node.execute(() -> batch.group().delivered(batch));
        });
    }

    /** Every sender sends {@code messages} messages in each shard it sends to, sizes from {@code sizes}. */
    public void startWorkload(int messages, java.util.function.IntUnaryOperator sizes) {
        View first = managers.values().iterator().next().view();
        if (first.adequate()) {
            startWorkload(first.layout(), messages, sizes);
        } else {
            pendingWorkload = layout -> startWorkload(layout, messages, sizes); // starts with the first adequate view
        }
    }

    private void startWorkload(GroupLayout first, int messages, java.util.function.IntUnaryOperator sizes) {
        pendingWorkload = null;
        for (ShardLayout s : first.shards()) {
            for (int sender : s.senders()) {
                GroupSender out = managers.get(sender).sender(s.subgroup(), s.shard());
                SimNode senderNode = nodes.get(sender);
                ViewManager senderManager = managers.get(sender);
                String key = key(sender, s.subgroup(), s.shard());
                long[] next = {0};
                Runnable[] pump = new Runnable[1];
                pump[0] = () -> {
                    if (senderNode.crashed() || senderManager.stoppedReason() != null) {
                        return;
                    }
                    while (next[0] < messages) {
                        int size = Math.max(12, sizes.applyAsInt((int) next[0]));
                        byte[] m = expectedPayload(size, s.subgroup() * 1000 + s.shard(), sender, next[0]);
                        boolean accepted;
                        try {
                            accepted = out.trySendOwned(m);
                        } catch (IllegalStateException leavingOrStopped) {
                            return;
                        }
                        if (!accepted) {
                            sim.after(5_000 + sim.random().nextInt(100_000), pump[0]);
                            return;
                        }
                        next[0]++;
                        sentCount.put(key, next[0]);
                        if (sim.random().nextInt(6) == 0) {
                            sim.after(sim.random().nextInt(200_000), pump[0]);
                            return;
                        }
                    }
                };
                sim.after(sim.random().nextInt(200_000), pump[0]);
            }
        }
    }

    /**
     * The payload of message {@code seq}: sender id and sequence in its first 12 bytes, the rest
     * deterministic filler; receivers check it through {@link Payloads#crc}.
     */
    static byte[] expectedPayload(int size, int shardKey, int sender, long seq) {
        byte[] m = new byte[size];
        ByteBuffer b = ByteBuffer.wrap(m);
        Payloads.fill(b, shardKey, sender, seq);
        ByteBuffer.wrap(m).putInt(sender).putLong(seq);
        return m;
    }

    private static String key(int sender, int subgroup, int shard) {
        return sender + "@" + subgroup + "/" + shard;
    }

    /** Crashes {@code nodeId} at simulated time {@code at}; peers may or may not see a broken link. */
    public void crashAt(long at, int nodeId, boolean tellPeers) {
        sim.at(at, () -> {
            if (nodes.get(nodeId).crashed()) {
                return;
            }
            crashed.add(nodeId);
            everCrashed.add(nodeId);
            nodes.get(nodeId).crash(tellPeers, 10_000 + sim.random().nextInt(1_000_000), nodes.values());
            joins.crashed(nodeId);
        });
    }

    /**
     * Cuts {@code minority} off the other members at {@code at}: both directions, or (asymmetric)
     * only what the minority sends. The minority must stop; the rest must go on without it.
     */
    public void partitionAt(long at, Set<Integer> minority, boolean symmetric) {
        sim.at(at, () -> {
            cutOff.addAll(minority);
            for (int a : minority) {
                for (int b : nodes.keySet()) {
                    if (!minority.contains(b)) {
                        sim.cut(a, b);
                        joins.cut(a, b);
                        if (symmetric) {
                            sim.cut(b, a);
                        }
                    }
                }
            }
        });
    }

    /**
     * Freezes {@code nodeId} for {@code nanos} at {@code at}. A pause longer than the suspicion
     * timeout may cost it its membership (it must then stop, never deliver in a stale view).
     */
    public void pauseAt(long at, int nodeId, long nanos) {
        sim.at(at, () -> {
            paused.add(nodeId);
            nodes.get(nodeId).pause(nanos);
        });
    }

    /** Makes the link from -> to slow (extra latency) from {@code at} for {@code nanos}. */
    public void slowLinkAt(long at, int from, int to, long extraNanos, long nanos) {
        sim.at(at, () -> sim.slowLink(from, to, extraNanos, at + nanos));
    }

    /** Members that may legitimately be gone at the end: crashed (and not restarted), cut off, left, or paused and stopped. */
    private boolean gone(int id) {
        return crashed.contains(id) || cutOff.contains(id) || leavers.contains(id)
                || (paused.contains(id) && stops.containsKey(label.get(id)));
    }

    /** Senders whose last messages may be lost: they crashed (in any incarnation), were cut off, or stopped after a pause. */
    private boolean mayLoseTail(int sender) {
        return everCrashed.contains(sender) || cutOff.contains(sender)
                || (paused.contains(sender) && stops.containsKey(String.valueOf(sender)));
    }

    private static int idOf(String label) {
        return Integer.parseInt(label.replace("'", ""));
    }

    /** {@code nodeId} leaves the group cleanly at {@code at}: everything it sent must still reach everyone. */
    public void leaveAt(long at, int nodeId) {
        sim.at(at, () -> {
            if (!nodes.get(nodeId).crashed()) {
                leavers.add(nodeId);
                managers.get(nodeId).leave();
            }
        });
    }

    public boolean run(long simNanos, long maxEvents) {
        return sim.runUntil(() -> false, simNanos, maxEvents);
    }

    /** Runs for {@code simNanos} (at most {@code maxEvents}) and checks: the violations, or the exception as one. */
    public List<String> runAndCheck(long simNanos, long maxEvents, boolean verbose) {
        try {
            run(simNanos, maxEvents);
            return check();
        } catch (RuntimeException e) {
            if (verbose) {
                e.printStackTrace();
            }
            return List.of("exception: " + e);
        }
    }

    public ViewManager manager(int id) {
        return managers.get(id);
    }

    /** Deliveries recorded so far, over every node and incarnation. */
    public long deliveries() {
        return delivered.values().stream().mapToLong(List::size).sum();
    }

    /** Joins that completed (views whose joined list is not empty, counted once per view id). */
    public long joinsCompleted() {
        return views.values().stream().flatMap(List::stream).filter(v -> v.joined().length > 0)
                .mapToInt(View::id).distinct().count();
    }

    /** Views installed, by incarnation ("3", then "3'" after a restart). */
    public Map<String, List<View>> views() {
        return views;
    }

    /** Every violation found; empty when the run kept every guarantee. */
    public List<String> check() {
        List<String> errors = new ArrayList<>();
        checkViews(errors);
        Map<String, Map<String, List<Delivery>>> perViewShard = checkDeliveries(errors);
        checkVirtualSynchrony(errors, perViewShard);
        checkLiveness(errors);
        return errors;
    }

    /** View agreement (same id: same members and layout) and consecutive view ids per incarnation. */
    private void checkViews(List<String> errors) {
        Map<Integer, String> viewById = new HashMap<>();
        for (var e : views.entrySet()) {
            int prev = -1;
            for (View v : e.getValue()) {
                String m = java.util.Arrays.toString(v.members()) + " " + v.layout().shards();
                String other = viewById.putIfAbsent(v.id(), m);
                if (other != null && !other.equals(m)) {
                    errors.add("view agreement: node " + e.getKey() + " installed view " + v.id() + " as " + m
                            + ", another node as " + other);
                }
                if (prev >= 0 && v.id() != prev + 1) {
                    errors.add("node " + e.getKey() + " installed view " + v.id() + " after view " + prev);
                }
                if (prev < 0 && v.id() != 0 && !v.hasJoined(idOf(e.getKey()))) {
                    errors.add("node " + e.getKey() + " started in " + v + " without joining it");
                }
                prev = v.id();
            }
        }
    }

    /** Integrity, no duplicates, FIFO without gaps (after the state a joiner received); the per-view sequences. */
    private Map<String, Map<String, List<Delivery>>> checkDeliveries(List<String> errors) {
        Map<String, Map<String, List<Delivery>>> perViewShard = new HashMap<>();
        for (var e : delivered.entrySet()) {
            String node = e.getKey();
            Set<String> seen = new HashSet<>();
            Map<String, Long> lastSeq = new HashMap<>();
            for (var st : states.get(node).restored.entrySet()) {
                for (var r : st.getValue().entrySet()) {
                    lastSeq.put(r.getKey() + "@" + st.getKey(), r.getValue());
                }
            }
            for (Delivery d : e.getValue()) {
                String k = key(d.sender(), d.subgroup(), d.shard());
                String id = k + "#" + d.appSeq();
                if (!d.intact()) {
                    errors.add("node " + node + ": message " + id + " corrupted");
                }
                if (!seen.add(id)) {
                    errors.add("node " + node + ": message " + id + " delivered twice");
                }
                boolean fresh = freshShards.contains(node + "|" + d.subgroup() + "/" + d.shard());
                long last = lastSeq.getOrDefault(k, fresh ? d.appSeq() - 1 : -1L);
                if (d.appSeq() <= last) {
                    errors.add("node " + node + ": FIFO broken for " + k + ": " + d.appSeq() + " after " + last
                            + " (delivered, or received with its state)");
                } else if (d.appSeq() != last + 1 && !mayLoseTail(d.sender())) {
                    errors.add("node " + node + ": gap for live sender " + k + ": " + d.appSeq() + " after " + last);
                }
                lastSeq.put(k, d.appSeq());
                perViewShard.computeIfAbsent(d.viewId() + ":" + d.subgroup() + "/" + d.shard(), x -> new HashMap<>())
                        .computeIfAbsent(node, x -> new ArrayList<>()).add(d);
            }
        }
        return perViewShard;
    }

    /**
     * Within a view, ORDERED shards: every member's sequence is a prefix of the longest, and members
     * that moved on to the next view delivered exactly the same sequence (virtual synchrony).
     */
    private void checkVirtualSynchrony(List<String> errors, Map<String, Map<String, List<Delivery>>> perViewShard) {
        for (var e : perViewShard.entrySet()) {
            int viewId = Integer.parseInt(e.getKey().substring(0, e.getKey().indexOf(':')));
            String shardName = e.getKey().substring(e.getKey().indexOf(':') + 1);
            int subgroup = Integer.parseInt(shardName.substring(0, shardName.indexOf('/')));
            int shard = Integer.parseInt(shardName.substring(shardName.indexOf('/') + 1));
            boolean ordered = layoutOf(viewId).findShard(subgroup, shard).mode() == Mode.ORDERED;
            List<Delivery> longest = List.of();
            for (List<Delivery> seq : e.getValue().values()) {
                if (seq.size() > longest.size()) {
                    longest = seq;
                }
            }
            for (var m : e.getValue().entrySet()) {
                List<Delivery> seq = m.getValue();
                boolean movedOn = views.get(m.getKey()).stream().anyMatch(v -> v.id() == viewId + 1);
                if (ordered) {
                    for (int i = 0; i < seq.size(); i++) {
                        if (!same(seq.get(i), longest.get(i))) {
                            errors.add("view " + viewId + " shard " + shardName + ": node " + m.getKey()
                                    + " delivered a different order at position " + i + ": " + seq.get(i).sender() + "#"
                                    + seq.get(i).appSeq() + " where another member delivered " + longest.get(i).sender()
                                    + "#" + longest.get(i).appSeq() + " (" + seq.size() + " vs " + longest.size() + " deliveries)");
                            break;
                        }
                    }
                }
                if (movedOn && seq.size() != longest.size()) {
                    errors.add("virtual synchrony: node " + m.getKey() + " moved to view " + (viewId + 1)
                            + " having delivered " + seq.size() + " messages of shard " + shardName + " in view "
                            + viewId + ", another member " + longest.size());
                }
            }
            // Members that moved on from the view but delivered nothing in the shard there, while others did.
            for (var vs : views.entrySet()) {
                View v = vs.getValue().stream().filter(x -> x.id() == viewId).findFirst().orElse(null);
                boolean movedOn = vs.getValue().stream().anyMatch(x -> x.id() == viewId + 1);
                ShardLayout l = v == null ? null : v.layout().findShard(subgroup, shard);
                if (movedOn && l != null && l.hasMember(idOf(vs.getKey())) && !e.getValue().containsKey(vs.getKey())) {
                    errors.add("virtual synchrony: node " + vs.getKey() + " moved on from view " + viewId + " without the "
                            + "deliveries others made in shard " + shardName);
                }
            }
        }
    }

    /**
     * Liveness and state: live members end in one view without the gone ones, every live member got
     * (delivered, or with its state) everything live senders sent, and live replicas of a shard end
     * with the same state.
     */
    private void checkLiveness(List<String> errors) {
        Set<String> finalViews = new HashSet<>();
        Map<String, String> shardStates = new HashMap<>();
        for (int id : label.keySet()) {
            String l = label.get(id);
            if (crashed.contains(id)) {
                continue;
            }
            String stop = stops.get(l);
            if (leavers.contains(id)) {
                if (stop == null || !stop.contains("left the group cleanly")) {
                    errors.add("leave: node " + l + " asked to leave but ended with: " + stop);
                }
                continue;
            }
            if (paused.contains(id) && stop != null) {
                if (!stop.contains("paused for") && !stop.contains("was removed") && !stop.contains("sees only")) {
                    errors.add("pause: node " + l + " stopped for another reason: " + stop);
                }
                continue;
            }
            if (cutOff.contains(id)) {
                if (stop == null) {
                    errors.add("minority: node " + l + " was cut off from a majority but did not stop");
                }
                continue;
            }
            if (stop != null) {
                errors.add("live node " + l + " stopped: " + stop);
                continue;
            }
            if (views.get(l).isEmpty()) {
                errors.add("liveness: node " + l + " never installed a view (joining: " + managers.get(id).describe() + ")");
                continue;
            }
            View last = views.get(l).get(views.get(l).size() - 1);
            finalViews.add(last.id() + java.util.Arrays.toString(last.members()));
            for (int c : nodes.keySet()) {
                if (gone(c) && last.hasMember(c)) {
                    errors.add("liveness: node " + l + " still has gone node " + c + " in " + last);
                }
            }
            for (ShardLayout s : last.layout().shards()) {
                if (s.hasMember(id)) {
                    String key = s.subgroup() + "/" + s.shard();
                    String mine = String.valueOf(states.get(l).lastBySender.getOrDefault(key, new TreeMap<>()));
                    String other = shardStates.putIfAbsent(key, mine);
                    if (other != null && !other.equals(mine)) {
                        errors.add("state: node " + l + " ends shard " + key + " with " + mine + ", another replica with " + other);
                    }
                }
            }
        }
        if (finalViews.size() > 1) {
            errors.add("liveness: live nodes ended in different views " + finalViews);
        }
        for (var e : sentCount.entrySet()) {
            int sender = Integer.parseInt(e.getKey().substring(0, e.getKey().indexOf('@')));
            if (mayLoseTail(sender)) {
                continue;
            }
            String shardName = e.getKey().substring(e.getKey().indexOf('@') + 1);
            int subgroup = Integer.parseInt(shardName.substring(0, shardName.indexOf('/')));
            int shard = Integer.parseInt(shardName.substring(shardName.indexOf('/') + 1));
            if (layouts != null) {
                continue; // members move between shards: counted through the final states instead
            }
            for (int member : config.subgroups().get(subgroup).shards().get(shard).members()) {
                String l = label.get(member);
                if (gone(member) || freshShards.contains(l + "|" + shardName)) {
                    continue;
                }
                Long restored = states.get(l).restored.getOrDefault(shardName, new TreeMap<>()).get(sender);
                long got = (restored == null ? 0 : restored + 1) + delivered.get(l).stream()
                        .filter(d -> d.sender() == sender && d.subgroup() == subgroup && d.shard() == shard).count();
                if (got != e.getValue()) {
                    errors.add("liveness: node " + l + " delivered " + got + " of the " + e.getValue()
                            + " messages live sender " + e.getKey() + " sent" + (restored == null ? "" : " (" + (restored + 1)
                            + " of them with its state)"));
                }
            }
        }
    }

    private GroupLayout layoutOf(int viewId) {
        for (List<View> vs : views.values()) {
            for (View v : vs) {
                if (v.id() == viewId) {
                    return v.layout();
                }
            }
        }
        throw new IllegalStateException("no node installed view " + viewId);
    }


    private static boolean same(Delivery a, Delivery b) {
        return a.sender() == b.sender() && a.appSeq() == b.appSeq();
    }
}
