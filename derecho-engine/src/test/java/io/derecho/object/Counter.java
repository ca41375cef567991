package io.derecho.object;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A replicated counter for the tests: its state is one long. */
public class Counter implements CodecState<Long> {
    /** Lets a test hold a query on a replica (to remove the member while it is pending). */
    static volatile CountDownLatch gate = new CountDownLatch(0);
    /** Lets a handler reach the group it runs in (for calls from inside a handler). */
    static final java.util.Map<Integer, Group> GROUPS = new java.util.concurrent.ConcurrentHashMap<>();

    private long value;

    public long add(long delta) {
        value += delta;
        return value;
    }

    /** Counts the bytes it is given (for argument-size tests). */
    public long absorb(byte[] data) {
        value += data.length;
        return value;
    }

    /** A reply of {@code size} bytes (to test replies that do not fit a message). */
    public byte[] blob(int size) {
        return new byte[size];
    }

    public long get() {
        return value;
    }

    public long failIfNegative(long delta) {
        if (delta < 0) {
            throw new IllegalArgumentException("negative delta " + delta);
        }
        return add(delta);
    }

    public long slowGet() throws InterruptedException {
        gate.await(30, TimeUnit.SECONDS);
        return value;
    }

    /**
     * An ordered handler that asks another member's replica (point to point) and returns what it
     * read; it changes nothing, since a value read from another replica at no fixed point of the
     * order would make the replicas diverge.
     */
    public long readFrom(int other) throws InterruptedException, java.util.concurrent.TimeoutException {
        Group g = GROUPS.get(HandlerContextProbe.self());
        return g.peers(Counter.class).p2p(other, 0, Call.of(Counter::get)).get(java.time.Duration.ofSeconds(10));
    }

    /** Adds, and tells the external clients of this member that subscribed to "counter" the new value. */
    public long addAndNotify(long delta) {
        long v = add(delta);
        Group g = GROUPS.get(HandlerContextProbe.self());
        if (g != null) {
            g.notifyClients("counter", Long.toString(v).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return v;
    }

    public long versionOfThisCall() {
        return Replicated.currentVersion();
    }

    @Override
    public Long snapshot() {
        return value;
    }

    @Override
    public void restore(Long state) {
        value = state;
    }
}
