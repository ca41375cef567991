package io.derecho.testing.lin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Records the operations of concurrent clients, from any threads. Call {@link #invoke} just before sending a
 * request and one of {@link #complete}, {@link #fail} or {@link #unknown} just after learning its outcome: the
 * recorded interval then contains the real one, which is what makes the check sound.
 *
 * <pre>{@code
 * long h = recorder.invoke("c3", "cas", 1, 2);
 * try {
 *     recorder.complete(h, client.compareAndSet(1, 2));
 * } catch (RejectedException e) {
 *     recorder.fail(h);          // definitely not applied
 * } catch (TimeoutException e) {
 *     recorder.unknown(h);       // may be applied, now or later
 * }
 * }</pre>
 *
 * <p>An operation still pending when {@link #history()} is taken counts as UNKNOWN. Each operation is completed
 * at most once; a second completion is a bug in the test and throws.
 */
public final class HistoryRecorder {
    private final String clientPrefix;
    private final LongSupplier clock;
    private final AtomicLong nextHandle = new AtomicLong();
    private final ConcurrentHashMap<Long, Slot> slots = new ConcurrentHashMap<>();

    /** A recorder on {@link System#nanoTime()} with client names as given. */
    public HistoryRecorder() {
        this("", System::nanoTime);
    }

    /**
     * A recorder on {@link System#nanoTime()} that prefixes every client name with {@code clientPrefix}, so that
     * the histories of several processes can be merged (for example {@code "p2/"}).
     */
    public HistoryRecorder(String clientPrefix) {
        this(clientPrefix, System::nanoTime);
    }

    /** A recorder on another clock, such as a simulation's. */
    public HistoryRecorder(String clientPrefix, LongSupplier clock) {
        this.clientPrefix = Objects.requireNonNull(clientPrefix, "clientPrefix");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Records the invocation now and returns the handle that completes it. */
    public long invoke(String client, String kind, Object... args) {
        long now = clock.getAsLong();
        long handle = nextHandle.getAndIncrement();
        Operation op = new Operation(0, clientPrefix + client, kind, Values.normalizeAll(args), now, Long.MAX_VALUE,
                Outcome.UNKNOWN, null);
        slots.put(handle, new Slot(op, false));
        return handle;
    }

    /** The operation took effect and returned nil. */
    public void complete(long handle) {
        complete(handle, null);
    }

    /** The operation took effect and returned {@code result}. */
    public void complete(long handle, Object result) {
        finish(handle, Outcome.OK, result);
    }

    /** The operation definitely did not take effect. */
    public void fail(long handle) {
        finish(handle, Outcome.FAILED, null);
    }

    /** The client gave up without knowing whether the operation took effect (or will). */
    public void unknown(long handle) {
        finish(handle, Outcome.UNKNOWN, null);
    }

    /** The operations recorded so far, those still pending as UNKNOWN. */
    public History history() {
        List<Map.Entry<Long, Slot>> entries = new ArrayList<>(slots.entrySet());
        entries.sort(Map.Entry.comparingByKey()); // equal invocation times keep the order of invoke calls
        List<Operation> ops = new ArrayList<>(entries.size());
        for (Map.Entry<Long, Slot> e : entries) {
            ops.add(e.getValue().op);
        }
        return History.of(ops);
    }

    private void finish(long handle, Outcome outcome, Object result) {
        long now = clock.getAsLong();
        Object value = Values.normalize(result);
        slots.compute(handle, (h, slot) -> {
            if (slot == null) {
                throw new IllegalArgumentException("no operation with handle " + h);
            }
            if (slot.done) {
                throw new IllegalStateException("operation " + slot.op + " already completed");
            }
            Operation op = slot.op;
            long response = Math.max(now, op.invokeNanos());
            return new Slot(new Operation(0, op.client(), op.kind(), op.args(), op.invokeNanos(), response, outcome,
                    value), true);
        });
    }

    private record Slot(Operation op, boolean done) {
    }
}
