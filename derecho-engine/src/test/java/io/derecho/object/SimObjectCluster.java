package io.derecho.object;

import io.derecho.codec.BinaryCodec;
import io.derecho.config.GroupConfig;
import io.derecho.membership.GroupSender;
import io.derecho.membership.MemberSetup;
import io.derecho.membership.MembershipSettings;
import io.derecho.membership.View;
import io.derecho.membership.ViewListener;
import io.derecho.membership.ViewManager;
import io.derecho.multicast.DeliveryBatch;
import io.derecho.sim.SimNode;
import io.derecho.sim.Simulation;
import io.derecho.testing.SimJoinNetwork;
import io.derecho.testing.lin.HistoryRecorder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Replicated counters in the simulator: each node runs the real membership, multicast and
 * replicated-object code ({@link ReplicaHost}) against simulated time and network; clients on the
 * members issue ordered {@code add} and {@code get} calls, recorded (in simulated time) for the
 * linearizability checker; members crash and come back as joiners.
 */
final class SimObjectCluster {
    private final Simulation sim;
    private final GroupConfig config;
    private final MembershipSettings settings;
    private final Map<Integer, SimNode> nodes = new HashMap<>();
    private final Map<Integer, ViewManager> managers = new HashMap<>();
    private final Map<Integer, ReplicaHost> hosts = new HashMap<>();
    private final Map<Integer, Long> lastDeliveryAt = new HashMap<>();
    private final Map<Integer, String> stops = new HashMap<>();
    private final SimJoinNetwork joins;
    private final HistoryRecorder history;
    private int incarnation;

    SimObjectCluster(Simulation sim, GroupConfig config, MembershipSettings settings) {
        this.sim = sim;
        this.config = config;
        this.settings = settings;
        this.history = new HistoryRecorder("", sim::now);
        Map<String, Integer> nodeAt = new HashMap<>();
        config.members().forEach(m -> nodeAt.put(MemberSetup.address(m), m.id()));
        this.joins = new SimJoinNetwork(sim, nodeAt, nodes::get, managers::get);
        for (var m : config.members()) {
            incarnate(m.id(), sim.addNode(m.id()), true);
        }
        for (var vm : List.copyOf(managers.values())) {
            sim.after(0, vm::start);
        }
    }

    private void incarnate(int id, SimNode node, boolean initial) {
        nodes.put(id, node);
        int inc = incarnation++;
        Map<Integer, ArrayDeque<byte[]>> outbox = new HashMap<>();
        ReplicaHost host = new ReplicaHost(new ReplicaHost.Port() {
            @Override
            public int nodeId() {
                return id;
            }

            @Override
            public void send(int subgroup, int shard, byte[] message) {
                // The simulator cannot block: queue, and pump while the window has room.
                ArrayDeque<byte[]> q = outbox.computeIfAbsent(subgroup * 65536 + shard, k -> new ArrayDeque<>());
                q.add(message);
                if (q.size() == 1) {
                    pump(node, managers.get(id).sender(subgroup, shard), q);
                }
            }

            @Override
            public void sendP2P(int to, byte[] message) {
                SimNode target = nodes.get(to);
                if (node.crashed() || target == null || sim.linkCut(id, to)) {
                    return;
                }
                long latency = sim.network().minLatencyNanos() + sim.random().nextLong(1 + sim.network().maxLatencyNanos());
                sim.after(latency, () -> target.execute(() -> {
                    if (hosts.get(to) != null && nodes.get(to) == target) {
                        hosts.get(to).onP2P(id, java.nio.ByteBuffer.wrap(message));
                    }
                }));
            }
        }, BinaryCodec.create(), Runnable::run, Runnable::run);
        host.register(Counter.class, "counters", Counter::new);
        hosts.put(id, host);
        ViewManager vm = new ViewManager(MemberSetup.of(config, id).withSettings(settings).withState(host.stateTransfer()),
                initial, node, batch -> deliverLater(node, host, batch), new ViewListener() {
                    @Override
                    public void beforeViewStarts(View view) {
                        host.beforeViewStarts(view);
                    }

                    @Override
                    public void onViewInstalled(View view) {
                    }

                    @Override
                    public void onStopped(String reason) {
                        stops.put(id, "incarnation " + inc + ": " + reason);
                        host.onStopped(reason);
                    }
                });
        node.setHandler(vm);
        managers.put(id, vm);
    }

    private void pump(SimNode node, GroupSender sender, ArrayDeque<byte[]> q) {
        while (!q.isEmpty() && !node.crashed()) {
            boolean sent;
            try {
                sent = sender.trySendOwned(q.peek());
            } catch (IllegalStateException stopped) {
                q.clear();
                return;
            }
            if (!sent) {
                sim.after(20_000 + sim.random().nextInt(200_000), () -> pump(node, sender, q));
                return;
            }
            q.poll();
        }
    }

    private void deliverLater(SimNode node, ReplicaHost host, DeliveryBatch batch) {
        int delay = sim.random().nextInt(10) == 0 ? sim.random().nextInt(1_000_000) : sim.random().nextInt(5_000);
        long at = Math.max(sim.now() + delay, lastDeliveryAt.getOrDefault(node.nodeId(), 0L));
        lastDeliveryAt.put(node.nodeId(), at);
        sim.at(at, () -> {
            if (node.crashed()) {
                return;
            }
            batch.deliverTo((subgroup, shard, sender, index, payload, version) ->
                    host.onDelivery(subgroup, shard, sender, payload, version));
            node.execute(() -> batch.group().delivered(batch));
        });
    }

    /** A client on member {@code id}: one ordered call at a time, {@code calls} in all, each recorded. */
    void clientAt(long at, int id, String name, int calls, Random r) {
        SimNode node = nodes.get(id);
        sim.at(at, () -> next(node, id, name, calls, r));
    }

    private void next(SimNode node, int id, String name, int left, Random r) {
        if (left == 0 || node.crashed() || nodes.get(id) != node || managers.get(id).stoppedReason() != null) {
            return;
        }
        ReplicaHost host = hosts.get(id);
        View v = host.view();
        if (v == null || !v.adequate() || v.layout().findShard(0, 0) == null || !v.layout().findShard(0, 0).hasMember(id)) {
            sim.after(50_000_000L, () -> next(node, id, name, left, r));
            return;
        }
        boolean add = r.nextInt(3) > 0;
        long delta = 1 + r.nextInt(5);
        long h = add ? history.invoke(name, "add", delta) : history.invoke(name, "get");
        QueryResults<Long> q;
        try {
            q = add ? host.ordered(Counter.class, 0, 0, Methods.resolve(Call.of(Counter::add, 0L).ref(), Counter.class),
                    new Object[] {delta}) : host.ordered(Counter.class, 0, 0,
                    Methods.resolve(Call.of(Counter::get).ref(), Counter.class), new Object[0]);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        q.replies().whenComplete((map, failure) -> {
            if (failure != null) {
                history.unknown(h);
                return;
            }
            map.get(id).whenComplete((value, e) -> {
                if (e != null) {
                    history.unknown(h);
                } else {
                    history.complete(h, value);
                    sim.after(r.nextInt(2_000_000), () -> node.execute(() -> next(node, id, name, left - 1, r)));
                }
            });
        });
    }

    void crashAt(long at, int id) {
        sim.at(at, () -> {
            if (!nodes.get(id).crashed()) {
                nodes.get(id).crash(sim.random().nextBoolean(), 10_000 + sim.random().nextInt(500_000), nodes.values());
                joins.crashed(id);
            }
        });
    }

    void restartAt(long at, int id) {
        sim.at(at, () -> {
            if (!nodes.get(id).crashed()) {
                return;
            }
            incarnate(id, sim.restartNode(id), false);
            ViewManager vm = managers.get(id);
            List<String> contacts = config.members().stream().filter(m -> m.id() != id).map(MemberSetup::address).toList();
            nodes.get(id).execute(() -> vm.join(joins.transportFor(id), contacts, 30_000));
        });
    }

    HistoryRecorder history() {
        return history;
    }

    boolean crashed(int id) {
        return nodes.get(id).crashed();
    }

    /** Live members' replica values (null where the member is not running a replica). */
    Map<Integer, Long> values() {
        Map<Integer, Long> out = new HashMap<>();
        hosts.forEach((id, h) -> {
            if (!nodes.get(id).crashed() && managers.get(id).stoppedReason() == null) {
                Object c = h.replica(0, 0);
                out.put(id, c == null ? null : ((Counter) c).get());
            }
        });
        return out;
    }

    Map<Integer, String> stops() {
        return stops;
    }

    List<String> describe() {
        List<String> out = new ArrayList<>();
        managers.forEach((id, vm) -> out.add(vm.describe()));
        return out;
    }
}
