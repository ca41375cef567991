package io.derecho.testing;

import io.derecho.config.GroupConfig;
import io.derecho.config.Mode;
import io.derecho.membership.GroupSender;
import io.derecho.membership.MembershipSettings;
import io.derecho.membership.View;
import io.derecho.membership.ViewListener;
import io.derecho.membership.ViewManager;
import io.derecho.multicast.DeliveryBatch;
import io.derecho.multicast.GroupLayout;
import io.derecho.multicast.ShardLayout;
import io.derecho.sim.SimNode;
import io.derecho.sim.Simulation;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    private final Simulation sim;
    private final GroupConfig config;
    private final Map<Integer, SimNode> nodes = new LinkedHashMap<>();
    private final Map<Integer, ViewManager> managers = new HashMap<>();
    private final Map<Integer, List<Delivery>> delivered = new HashMap<>();
    private final Map<Integer, List<View>> views = new HashMap<>();
    private final Map<Integer, String> stops = new HashMap<>();
    private final Map<Integer, Long> lastDeliveryAt = new HashMap<>();
    private final Map<String, Long> sentCount = new HashMap<>();
    private final Set<Integer> crashed = new HashSet<>();
    private final Set<Integer> cutOff = new HashSet<>();
    private final Set<Integer> leavers = new HashSet<>();
    private final Set<Integer> paused = new HashSet<>();

    public SimMembershipCluster(Simulation sim, GroupConfig config, MembershipSettings settings) {
        this.sim = sim;
        this.config = config;
        for (var m : config.members()) {
            int id = m.id();
            SimNode node = sim.addNode(id);
            nodes.put(id, node);
            delivered.put(id, new ArrayList<>());
            views.put(id, new ArrayList<>());
            ViewManager vm = new ViewManager(config, id, node, batch -> deliverLater(node, batch), settings,
                    new ViewListener() {
                        @Override
                        public void onViewInstalled(View view) {
                            views.get(id).add(view);
                        }

                        @Override
                        public void onStopped(String reason) {
                            stops.put(id, reason);
                        }
                    });
            node.setHandler(vm);
            managers.put(id, vm);
        }
        for (ViewManager vm : managers.values()) {
            sim.after(0, vm::start);
        }
    }

    private void deliverLater(SimNode node, DeliveryBatch batch) {
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
                delivered.get(node.nodeId()).add(new Delivery(viewId, subgroup, shard, sender, seq, intact));
            });
            node.execute(() -> batch.group().delivered(batch));
        });
    }

    /** Every sender sends {@code messages} messages in each shard it sends to, sizes from {@code sizes}. */
    public void startWorkload(int messages, java.util.function.IntUnaryOperator sizes) {
        GroupLayout first = GroupLayout.fromConfig(config);
        for (ShardLayout s : first.shards()) {
            for (int sender : s.senders()) {
                GroupSender out = managers.get(sender).sender(s.subgroup(), s.shard());
                String key = key(sender, s.subgroup(), s.shard());
                long[] next = {0};
                Runnable[] pump = new Runnable[1];
                pump[0] = () -> {
                    if (nodes.get(sender).crashed() || managers.get(sender).stoppedReason() != null) {
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
            crashed.add(nodeId);
            nodes.get(nodeId).crash(tellPeers, 10_000 + sim.random().nextInt(1_000_000), nodes.values());
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

    /** Members that may legitimately be gone at the end: crashed, cut off, left, or paused and stopped. */
    private boolean gone(int id) {
        return crashed.contains(id) || cutOff.contains(id) || leavers.contains(id)
                || (paused.contains(id) && stops.containsKey(id));
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

    public ViewManager manager(int id) {
        return managers.get(id);
    }

    public Map<Integer, List<View>> views() {
        return views;
    }

    /** Every violation found; empty when the run kept every guarantee. */
    public List<String> check() {
        List<String> errors = new ArrayList<>();
        Map<Integer, String> membersOfView = new HashMap<>();
        for (var e : views.entrySet()) {
            int prev = -1;
            for (View v : e.getValue()) {
                String m = java.util.Arrays.toString(v.members());
                String other = membersOfView.putIfAbsent(v.id(), m);
                if (other != null && !other.equals(m)) {
                    errors.add("view agreement: node " + e.getKey() + " installed view " + v.id() + " as " + m
                            + ", another node as " + other);
                }
                if (v.id() != prev + 1) {
                    errors.add("node " + e.getKey() + " installed view " + v.id() + " after view " + prev);
                }
                prev = v.id();
            }
        }
        // Integrity, FIFO, and the per-view sequences.
        Map<String, Map<Integer, List<Delivery>>> perViewShard = new HashMap<>();
        for (var e : delivered.entrySet()) {
            int node = e.getKey();
            Set<String> seen = new HashSet<>();
            Map<String, Long> lastSeq = new HashMap<>();
            for (Delivery d : e.getValue()) {
                String id = key(d.sender(), d.subgroup(), d.shard()) + "#" + d.appSeq();
                if (!d.intact()) {
                    errors.add("node " + node + ": message " + id + " corrupted");
                }
                if (!seen.add(id)) {
                    errors.add("node " + node + ": message " + id + " delivered twice");
                }
                String k = key(d.sender(), d.subgroup(), d.shard());
                long last = lastSeq.getOrDefault(k, -1L);
                if (d.appSeq() <= last) {
                    errors.add("node " + node + ": FIFO broken for " + k + ": " + d.appSeq() + " after " + last);
                } else if (d.appSeq() != last + 1 && !crashed.contains(d.sender()) && !cutOff.contains(d.sender())
                        && !(paused.contains(d.sender()) && stops.containsKey(d.sender()))) {
                    errors.add("node " + node + ": gap for live sender " + k + ": " + d.appSeq() + " after " + last);
                }
                lastSeq.put(k, d.appSeq());
                perViewShard.computeIfAbsent(d.viewId() + ":" + d.subgroup() + "/" + d.shard(), x -> new HashMap<>())
                        .computeIfAbsent(node, x -> new ArrayList<>()).add(d);
            }
        }
        // Within a view, ORDERED shards: every member's sequence is a prefix of the longest, and members that
        // moved on to the next view delivered exactly the same sequence (virtual synchrony).
        for (var e : perViewShard.entrySet()) {
            int viewId = Integer.parseInt(e.getKey().substring(0, e.getKey().indexOf(':')));
            String shardName = e.getKey().substring(e.getKey().indexOf(':') + 1);
            int subgroup = Integer.parseInt(shardName.substring(0, shardName.indexOf('/')));
            int shard = Integer.parseInt(shardName.substring(shardName.indexOf('/') + 1));
            boolean ordered = config.subgroups().get(subgroup).shards().get(shard).mode() == Mode.ORDERED;
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
        }
        // Survivors that moved on from a view but delivered nothing in a shard there, while others did.
        for (var e : perViewShard.entrySet()) {
            int viewId = Integer.parseInt(e.getKey().substring(0, e.getKey().indexOf(':')));
            for (var vs : views.entrySet()) {
                int node = vs.getKey();
                boolean inView = vs.getValue().stream().anyMatch(v -> v.id() == viewId);
                boolean movedOn = vs.getValue().stream().anyMatch(v -> v.id() == viewId + 1);
                String shardName = e.getKey().substring(e.getKey().indexOf(':') + 1);
                int subgroup = Integer.parseInt(shardName.substring(0, shardName.indexOf('/')));
                int shard = Integer.parseInt(shardName.substring(shardName.indexOf('/') + 1));
                View v = vs.getValue().stream().filter(x -> x.id() == viewId).findFirst().orElse(null);
                ShardLayout l = v == null ? null : v.layout().findShard(subgroup, shard);
                if (inView && movedOn && l != null && l.hasMember(node) && !e.getValue().containsKey(node)) {
                    errors.add("virtual synchrony: node " + node + " moved on from view " + viewId + " without the "
                            + "deliveries others made in shard " + shardName);
                }
            }
        }
        // Liveness: live members end in one view without the crashed ones and got everything live senders sent.
        Set<String> finalViews = new HashSet<>();
        for (var e : views.entrySet()) {
            if (crashed.contains(e.getKey())) {
                continue;
            }
            if (leavers.contains(e.getKey())) {
                if (!stops.getOrDefault(e.getKey(), "").contains("left the group cleanly")) {
                    errors.add("leave: node " + e.getKey() + " asked to leave but ended with: " + stops.get(e.getKey()));
                }
                continue;
            }
            if (paused.contains(e.getKey()) && stops.containsKey(e.getKey())) {
                String why = stops.get(e.getKey());
                if (!why.contains("paused for") && !why.contains("was removed") && !why.contains("sees only")) {
                    errors.add("pause: node " + e.getKey() + " stopped for another reason: " + why);
                }
                continue;
            }
            if (cutOff.contains(e.getKey())) {
                if (!stops.containsKey(e.getKey())) {
                    errors.add("minority: node " + e.getKey() + " was cut off from a majority but did not stop");
                }
                continue;
            }
            if (stops.containsKey(e.getKey())) {
                errors.add("live node " + e.getKey() + " stopped: " + stops.get(e.getKey()));
                continue;
            }
            View last = e.getValue().get(e.getValue().size() - 1);
            finalViews.add(last.id() + java.util.Arrays.toString(last.members()));
            for (int c : nodes.keySet()) {
                if (!gone(c)) {
                    continue;
                }
                if (last.hasMember(c)) {
                    errors.add("liveness: node " + e.getKey() + " still has crashed node " + c + " in " + last);
                }
            }
        }
        if (finalViews.size() > 1) {
            errors.add("liveness: live nodes ended in different views " + finalViews);
        }
        for (var e : sentCount.entrySet()) {
            int sender = Integer.parseInt(e.getKey().substring(0, e.getKey().indexOf('@')));
            if (crashed.contains(sender) || cutOff.contains(sender) || (paused.contains(sender) && stops.containsKey(sender))) {
                continue;
            }
            String shardName = e.getKey().substring(e.getKey().indexOf('@') + 1);
            int subgroup = Integer.parseInt(shardName.substring(0, shardName.indexOf('/')));
            int shard = Integer.parseInt(shardName.substring(shardName.indexOf('/') + 1));
            for (int member : config.subgroups().get(subgroup).shards().get(shard).members()) {
                if (gone(member)) {
                    continue;
                }
                long got = delivered.get(member).stream()
                        .filter(d -> d.sender() == sender && d.subgroup() == subgroup && d.shard() == shard).count();
                if (got != e.getValue()) {
                    errors.add("liveness: node " + member + " delivered " + got + " of the " + e.getValue()
                            + " messages live sender " + e.getKey() + " sent");
                }
            }
        }
        return errors;
    }

    private static boolean same(Delivery a, Delivery b) {
        return a.sender() == b.sender() && a.appSeq() == b.appSeq();
    }
}
