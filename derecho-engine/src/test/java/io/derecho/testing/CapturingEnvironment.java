package io.derecho.testing;

import io.derecho.fabric.Environment;
import io.derecho.fabric.Outbound;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** An environment for unit tests: records outbound frames and runs deferred tasks on demand. */
public final class CapturingEnvironment implements Environment, Outbound {
    public record Frame(int to, ByteBuffer bytes) {
    }

    public final List<Frame> frames = new ArrayList<>();
    public final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    public int flushes;

    @Override
    public long nanoTime() {
        return 0;
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        tasks.add(task);
        return () -> tasks.remove(task);
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    @Override
    public Outbound outbound() {
        return this;
    }

    @Override
    public void send(int peerNodeId, ByteBuffer frame) {
        frames.add(new Frame(peerNodeId, frame));
    }

    @Override
    public void flush() {
        flushes++;
    }

    public void runTasks() {
        Runnable r;
        while ((r = tasks.poll()) != null) {
            r.run();
        }
    }

    public static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }
}
