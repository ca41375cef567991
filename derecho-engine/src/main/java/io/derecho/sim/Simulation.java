package io.derecho.sim;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * A deterministic world for protocol code: many nodes in one thread, a simulated clock, and a
 * seeded network with random latency that keeps every link FIFO. The same seed gives the same
 * run, event for event, so a failing seed replays exactly.
 */
public final class Simulation {

    /** Network model: per-frame latency drawn uniformly from [min, max], plus a per-byte cost. */
    public record NetworkModel(long minLatencyNanos, long maxLatencyNanos, double nanosPerByte, long maxBatchDelayNanos) {
        public static NetworkModel random(Random r) {
            long min = 1_000 + r.nextInt(20_000);
            return new NetworkModel(min, min + r.nextInt(200_000), r.nextDouble() * 2, r.nextInt(20_000));
        }
    }

    private record Event(long time, long seq, Runnable task) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final long seed;
    private final Random random;
    private final NetworkModel network;
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final Map<Integer, SimNode> nodes = new HashMap<>();
    private final Map<Long, Long> lastArrival = new HashMap<>();
    private final java.util.Set<Long> severed = new java.util.HashSet<>();
    private final Map<Long, long[]> slowLinks = new HashMap<>();
    private long now;
    private long seq;
    private long events;

    public Simulation(long seed, NetworkModel network) {
        this.seed = seed;
        this.random = new Random(seed);
        this.network = network;
    }

    public Simulation(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
        this.network = NetworkModel.random(random);
    }

    public long seed() {
        return seed;
    }

    public Random random() {
        return random;
    }

    public NetworkModel network() {
        return network;
    }

    public long now() {
        return now;
    }

    public long events() {
        return events;
    }

    public SimNode addNode(int nodeId) {
        SimNode n = new SimNode(this, nodeId);
        if (nodes.putIfAbsent(nodeId, n) != null) {
            throw new IllegalArgumentException("node " + nodeId + " already exists");
        }
        return n;
    }

    /**
     * A new incarnation of the crashed node {@code nodeId} (a restarted process): a fresh node with
     * the same id and fresh links; what the old incarnation had in flight stays lost.
     */
    public SimNode restartNode(int nodeId) {
        SimNode old = nodes.get(nodeId);
        if (old == null || !old.crashed()) {
            throw new IllegalArgumentException("node " + nodeId + " is not a crashed node");
        }
        severed.removeIf(k -> (int) (k >> 32) == nodeId || (int) (long) k == nodeId);
        SimNode n = new SimNode(this, nodeId);
        nodes.put(nodeId, n);
        return n;
    }

    /** Whether frames from {@code from} to {@code to} are lost (a cut or a crash's severed link). */
    public boolean linkCut(int from, int to) {
        return isSevered(from, to);
    }

    public SimNode node(int nodeId) {
        return nodes.get(nodeId);
    }

    /** Runs {@code task} at simulated time {@code at} (not before now). */
    public void at(long at, Runnable task) {
        queue.add(new Event(Math.max(at, now), seq++, task));
    }

    public void after(long delayNanos, Runnable task) {
        at(now + delayNanos, task);
    }

    /** Carries a frame over the link from -> to, keeping the link FIFO. */
    void transmit(int from, int to, java.nio.ByteBuffer frame) {
        SimNode dest = nodes.get(to);
        if (dest == null) {
            return;
        }
        long latency = network.minLatencyNanos()
                + (long) (random.nextDouble() * (network.maxLatencyNanos() - network.minLatencyNanos()))
                + (long) (frame.remaining() * network.nanosPerByte());
        long key = ((long) from << 32) | (to & 0xffffffffL);
        long[] slow = slowLinks.get(key);
        if (slow != null && now < slow[1]) {
            latency += slow[0];
        }
        long arrival = Math.max(now + latency, lastArrival.getOrDefault(key, 0L));
        lastArrival.put(key, arrival);
        at(arrival, () -> dest.receive(from, frame));
    }

    /** Drops every frame still in flight on the link from -> to, and every later one (a crash's lost send buffer). */
    void sever(int from, int to) {
        severed.add(((long) from << 32) | (to & 0xffffffffL));
    }

    boolean isSevered(int from, int to) {
        return severed.contains(((long) from << 32) | (to & 0xffffffffL));
    }

    /** Adds {@code extraNanos} to every frame sent from -> to until {@code untilNanos} (a congested link). */
    public void slowLink(int from, int to, long extraNanos, long untilNanos) {
        slowLinks.put(((long) from << 32) | (to & 0xffffffffL), new long[] {extraNanos, untilNanos});
    }

    /** Partitions the network: frames from {@code from} to {@code to} are lost from now on (one direction). */
    public void cut(int from, int to) {
        severed.add(((long) from << 32) | (to & 0xffffffffL));
    }

    long batchDelay() {
        return network.maxBatchDelayNanos() == 0 ? 0 : (long) (random.nextDouble() * network.maxBatchDelayNanos());
    }

    /**
     * Runs events until {@code done} holds, the queue is empty, or a limit is hit.
     *
     * @return true if {@code done} holds at the end
     */
    public boolean runUntil(BooleanSupplier done, long maxSimNanos, long maxEvents) {
        long limitTime = now + maxSimNanos;
        long limitEvents = events + maxEvents;
        while (!done.getAsBoolean()) {
            Event e = queue.poll();
            if (e == null || e.time > limitTime || events >= limitEvents) {
                return done.getAsBoolean();
            }
            now = e.time;
            events++;
            e.task.run();
        }
        return true;
    }
}
