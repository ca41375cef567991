package io.derecho.testing.lin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An immutable history: operations ordered by invocation time, each with its position as {@link Operation#id()}.
 *
 * <p>Clocks: the checker compares the times of operations from different clients, so all of them must come from
 * one clock. Within a JVM that is {@link System#nanoTime()} (what {@link HistoryRecorder} uses). Across processes
 * it is still {@code System.nanoTime()} as long as they all run on the same host: on Linux, HotSpot reads
 * {@code CLOCK_MONOTONIC}, which is one system-wide clock, so histories written by several JVMs of one machine
 * can be {@linkplain #merge(List) merged}. That is not promised by the Java specification, and times from
 * different machines are not comparable at all.
 */
public final class History {
    private static final Comparator<Operation> BY_INVOCATION = Comparator.comparingLong(Operation::invokeNanos);

    private final List<Operation> operations;

    private History(List<Operation> sortedAndNumbered) {
        this.operations = sortedAndNumbered;
    }

    /** A history of these operations, sorted by invocation time (stable for ties) and renumbered from 0. */
    public static History of(List<Operation> operations) {
        List<Operation> sorted = new ArrayList<>(operations);
        sorted.sort(BY_INVOCATION);
        List<Operation> numbered = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            Operation op = sorted.get(i);
            numbered.add(op.id() == i ? op : op.withId(i));
        }
        return new History(List.copyOf(numbered));
    }

    /**
     * One history of the operations of several, as recorded by the processes of one test on one host. Client names
     * are kept as they are, so give each process's recorder its own prefix.
     */
    public static History merge(List<History> histories) {
        List<Operation> all = new ArrayList<>();
        for (History h : histories) {
            all.addAll(h.operations);
        }
        return of(all);
    }

    public static HistoryBuilder builder() {
        return new HistoryBuilder();
    }

    public List<Operation> operations() {
        return operations;
    }

    public int size() {
        return operations.size();
    }

    public Operation get(int id) {
        return operations.get(id);
    }

    /** Time of the first invocation, the origin of the relative times in explanations (0 when empty). */
    public long originNanos() {
        return operations.isEmpty() ? 0 : operations.get(0).invokeNanos();
    }

    /** This history with {@code replacement} in place of the operation with the same id. */
    public History replace(Operation replacement) {
        List<Operation> copy = new ArrayList<>(operations);
        copy.set(replacement.id(), replacement);
        return of(copy);
    }

    /** The history in the text format of {@link HistoryCodec}. */
    public String format() {
        return HistoryCodec.format(this);
    }

    public static History parse(String text) {
        return HistoryCodec.parse(text, "<string>");
    }

    /** Writes the history as a text file (see {@link HistoryCodec}), creating parent directories. */
    public void write(Path file) throws IOException {
        HistoryCodec.write(this, file);
    }

    public static History read(Path file) throws IOException {
        return HistoryCodec.read(file);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof History h && h.operations.equals(operations);
    }

    @Override
    public int hashCode() {
        return operations.hashCode();
    }

    @Override
    public String toString() {
        return "History[" + operations.size() + " operations]";
    }
}
