package io.derecho.sim;

import io.derecho.fabric.Environment;
import io.derecho.fabric.InboundHandler;
import io.derecho.fabric.Outbound;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated node: the {@link Environment} its protocol core runs against. Frames sent are
 * held until {@link #flush()}, then travel the simulated network; arriving frames are handed to
 * the node's {@link InboundHandler}, and a batch ends a random short while after the first frame
 * of the batch, so batches of varying sizes are exercised.
 */
public final class SimNode implements Environment, Outbound {
    private final Simulation sim;
    private final int nodeId;
    private InboundHandler handler;
    private final List<Integer> pendingTo = new ArrayList<>();
    private final List<ByteBuffer> pendingFrames = new ArrayList<>();
    private boolean batchScheduled;
    private boolean crashed;
    private long pausedUntil;
    private long framesIn;
    private long bytesIn;

    SimNode(Simulation sim, int nodeId) {
        this.sim = sim;
        this.nodeId = nodeId;
    }

    public int nodeId() {
        return nodeId;
    }

    public void setHandler(InboundHandler handler) {
        this.handler = handler;
    }

    public long framesIn() {
        return framesIn;
    }

    public long bytesIn() {
        return bytesIn;
    }

    @Override
    public long nanoTime() {
        return sim.now();
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        boolean[] cancelled = new boolean[1];
        sim.after(delayNanos, () -> runUnlessPaused(() -> {
            if (!cancelled[0] && !crashed) {
                task.run();
            }
        }));
        return () -> cancelled[0] = true;
    }

    @Override
    public void execute(Runnable task) {
        sim.after(0, () -> runUnlessPaused(() -> {
            if (!crashed) {
                task.run();
            }
        }));
    }

    /**
     * Crashes this node: from now on it receives, sends and runs nothing. If {@code tellPeers}, each
     * peer's handler hears of the broken link after {@code notifyDelayNanos} (like a TCP reset);
     * otherwise they must notice the silence.
     */
    public void crash(boolean tellPeers, long notifyDelayNanos, java.util.Collection<SimNode> peers) {
        crashed = true;
        pendingTo.clear();
        pendingFrames.clear();
        // What a crash leaves in its send buffers reaches some peers and not others: the ragged edge.
        for (SimNode p : peers) {
            if (p != this && sim.random().nextBoolean()) {
                sim.sever(nodeId, p.nodeId);
            }
        }
        if (tellPeers) {
            for (SimNode p : peers) {
                if (p != this) {
                    sim.after(notifyDelayNanos, () -> {
                        if (!p.crashed && p.handler != null) {
                            p.handler.onLinkDown(nodeId, "connection reset");
                        }
                    });
                }
            }
        }
    }

    public boolean crashed() {
        return crashed;
    }

    /**
     * Freezes this node for {@code nanos} (a stopped process, a long GC pause): everything it would
     * have done meanwhile (frames arriving, timers, tasks) happens when it resumes, in order.
     */
    public void pause(long nanos) {
        pausedUntil = Math.max(pausedUntil, sim.now() + nanos);
    }

    private void runUnlessPaused(Runnable r) {
        if (sim.now() < pausedUntil) {
            sim.at(pausedUntil, () -> runUnlessPaused(r));
        } else {
            r.run();
        }
    }

    @Override
    public Outbound outbound() {
        return this;
    }

    @Override
    public void send(int peerNodeId, ByteBuffer frame) {
        if (crashed) {
            return;
        }
        pendingTo.add(peerNodeId);
        pendingFrames.add(frame);
    }

    @Override
    public void flush() {
        for (int i = 0; i < pendingTo.size(); i++) {
            sim.transmit(nodeId, pendingTo.get(i), pendingFrames.get(i));
        }
        pendingTo.clear();
        pendingFrames.clear();
    }

    void receive(int from, ByteBuffer frame) {
        if (handler == null || crashed || sim.isSevered(from, nodeId)) {
            return;
        }
        if (sim.now() < pausedUntil) {
            sim.at(pausedUntil, () -> receive(from, frame));
            return;
        }
        framesIn++;
        bytesIn += frame.remaining();
        handler.onFrame(from, frame.duplicate());
        if (!batchScheduled) {
            batchScheduled = true;
            sim.after(sim.batchDelay(), () -> runUnlessPaused(() -> {
                batchScheduled = false;
                if (!crashed) {
                    handler.onBatchEnd();
                }
            }));
        }
    }
}
