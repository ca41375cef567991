package io.derecho.testing;

import io.derecho.multicast.DeliveryBatch;
import io.derecho.multicast.GroupLayout;
import io.derecho.multicast.MulticastGroup;
import io.derecho.multicast.ShardLayout;
import io.derecho.multicast.ShardSender;
import io.derecho.sim.SimNode;
import io.derecho.sim.Simulation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntUnaryOperator;

/**
 * A fixed-membership group of simulated nodes running the real multicast core, with a workload:
 * each sender sends {@code messagesPerSender} messages whose sizes come from {@code sizes}, as
 * fast as its window allows. Records what was sent and delivered for {@link MulticastChecker}.
 */
public final class SimMulticastCluster {
    private final Simulation sim;
    private final GroupLayout layout;
    private final Map<Integer, MulticastGroup> groups = new HashMap<>();
    private final Map<Integer, List<Delivered>> delivered = new HashMap<>();
    private final List<Sent> sent = new ArrayList<>();
    private final Map<Integer, Long> lastDeliveryAt = new HashMap<>();
    private long expectedDeliveries;
    private long deliveries;

    public SimMulticastCluster(Simulation sim, GroupLayout layout) {
        this.sim = sim;
        this.layout = layout;
        for (int id : layout.members()) {
            SimNode node = sim.addNode(id);
            List<Delivered> log = new ArrayList<>();
            delivered.put(id, log);
            MulticastGroup[] self = new MulticastGroup[1];
            MulticastGroup g = new MulticastGroup(layout, id, node, batch -> deliverLater(node, self[0], batch, log));
            self[0] = g;
            node.setHandler(g);
            groups.put(id, g);
        }
        for (MulticastGroup g : groups.values()) {
            sim.after(0, g::start);
        }
    }

    /** The application thread of a node: deliveries happen later than the loop asks, in order. */
    private void deliverLater(SimNode node, MulticastGroup g, DeliveryBatch batch, List<Delivered> log) {
        // Mostly a quick application, sometimes a slow one (a GC pause, a slow handler): deliveries that lag far
        // behind the protocol are where slot reuse and counter publication bugs show.
        int delay = sim.random().nextInt(10) == 0 ? sim.random().nextInt(2_000_000) : sim.random().nextInt(5_000);
        long at = Math.max(sim.now() + delay, lastDeliveryAt.getOrDefault(node.nodeId(), 0L));
        lastDeliveryAt.put(node.nodeId(), at);
        sim.at(at, () -> {
            batch.deliverTo((subgroup, shard, sender, index, payload, version) -> {
                ShardLayout l = layout.shard(subgroup, shard);
                log.add(new Delivered(l.index(), sender, index, payload.remaining(), Payloads.crc(payload), version));
                deliveries++;
            });
            node.execute(() -> g.delivered(batch));
        });
    }

    /** Starts the workload: every sender of every shard sends {@code messagesPerSender} messages. */
    public void startWorkload(int messagesPerSender, IntUnaryOperator sizes) {
        for (ShardLayout shard : layout.shards()) {
            for (int s : shard.senders()) {
                expectedDeliveries += (long) messagesPerSender * shard.members().length;
                ShardSender sender = groups.get(s).sender(shard.subgroup(), shard.shard());
                long[] next = {0};
                Runnable[] pump = new Runnable[1];
                pump[0] = () -> {
                    while (next[0] < messagesPerSender) {
                        int size = sizes.applyAsInt((int) next[0]);
                        long idx = sender.trySend(size, b -> Payloads.fill(b, shard.index(), s, next[0]));
                        if (idx < 0) {
                            sim.after(1_000 + sim.random().nextInt(50_000), pump[0]);
                            return;
                        }
                        if (idx != next[0]) {
                            throw new AssertionError("sender " + s + " got index " + idx + " for message " + next[0]);
                        }
                        sent.add(new Sent(shard.index(), s, idx, size));
                        next[0]++;
                        if (sim.random().nextInt(8) == 0) {
                            sim.after(sim.random().nextInt(30_000), pump[0]);
                            return;
                        }
                    }
                };
                sim.after(sim.random().nextInt(100_000), pump[0]);
            }
        }
    }

    /** Runs until every expected delivery happened or a limit is hit; true if all arrived. */
    public boolean runToCompletion(long maxSimNanos, long maxEvents) {
        return sim.runUntil(() -> deliveries >= expectedDeliveries, maxSimNanos, maxEvents);
    }

    public List<String> check() {
        return MulticastChecker.check(layout, sent, delivered);
    }

    public long deliveries() {
        return deliveries;
    }

    public long expectedDeliveries() {
        return expectedDeliveries;
    }

    public MulticastGroup group(int nodeId) {
        return groups.get(nodeId);
    }

    public Map<Integer, List<Delivered>> delivered() {
        return delivered;
    }

    public Simulation sim() {
        return sim;
    }

    /** A random static layout: 1-2 subgroups, 1-2 shards each, random members, senders all/half/one, random mode. */
    public static io.derecho.config.GroupConfig randomConfig(Random r, int nodes) {
        var b = io.derecho.config.GroupConfig.builder("sim");
        for (int i = 0; i < nodes; i++) {
            b.member(i, "127.0.0.1", 20000 + i);
        }
        int window = 2 + r.nextInt(24);
        int smc = 16 + r.nextInt(300);
        b.profile(new io.derecho.config.Profile("p", window, smc, smc + 4000 + r.nextInt(6000), 1024 + r.nextInt(1500),
                1 + r.nextInt(3), io.derecho.config.BlockScheduleKind.values()[r.nextInt(3)]));
        int subgroups = 1 + r.nextInt(2);
        for (int g = 0; g < subgroups; g++) {
            int shards = 1 + r.nextInt(2);
            io.derecho.config.ShardSpec[] specs = new io.derecho.config.ShardSpec[shards];
            for (int s = 0; s < shards; s++) {
                List<Integer> ids = new ArrayList<>();
                for (int i = 0; i < nodes; i++) {
                    ids.add(i);
                }
                java.util.Collections.shuffle(ids, r);
                List<Integer> members = ids.subList(0, Math.max(2, 2 + r.nextInt(nodes - 1)));
                int senderCount = switch (r.nextInt(3)) {
                    case 0 -> members.size();
                    case 1 -> (members.size() + 1) / 2;
                    default -> 1;
                };
                List<Integer> senders = new ArrayList<>(members.subList(0, senderCount));
                io.derecho.config.Mode mode = r.nextInt(4) == 0 ? io.derecho.config.Mode.UNORDERED
                        : io.derecho.config.Mode.ORDERED;
                specs[s] = new io.derecho.config.ShardSpec(new ArrayList<>(members), senders, mode, "p");
            }
            b.subgroup("sg" + g, specs);
        }
        return b.build();
    }
}
