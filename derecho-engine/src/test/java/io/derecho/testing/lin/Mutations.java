package io.derecho.testing.lin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Turns a linearizable simulated history into one that certainly is not, by changing one returned value, in ways
 * that need the search to refute (the value was written, just not where the read could see it). Relies on the
 * written values being unique, as in {@link Workloads}.
 */
final class Mutations {
    private Mutations() {
    }

    /**
     * Where values live, for building impossible reads: which object an operation touches, the kind that reads
     * it, the kinds that overwrite it, and the (unique) value a write stores (null: none).
     */
    record Slot(Function<Operation, Object> object, String readKind, Set<String> writeKinds,
                Function<Operation, Object> stored) {
        boolean reads(Operation o) {
            return o.outcome() == Outcome.OK && o.kind().equals(readKind);
        }

        boolean overwrites(Operation o, Operation read) {
            return o.outcome() == Outcome.OK && writeKinds.contains(o.kind())
                    && Objects.equals(object.apply(o), object.apply(read));
        }
    }

    /**
     * One read made to return the value of an OK write {@code old} that an OK write {@code newer} replaced, with
     * {@code old} before {@code newer} before the read in real time. Values are unique and only grow back by
     * being written again, so this read is impossible. Null when the history has no such triple.
     */
    static History staleRead(Random random, History h, Slot slot) {
        List<History> candidates = new ArrayList<>();
        for (Operation read : h.operations()) {
            if (!slot.reads(read)) {
                continue;
            }
            Operation newer = latest(h, o -> slot.overwrites(o, read) && o.responseNanos() < read.invokeNanos());
            if (newer == null) {
                continue;
            }
            Operation old = latest(h, o -> slot.overwrites(o, read) && o.responseNanos() < newer.invokeNanos()
                    && slot.stored().apply(o) != null);
            if (old != null) {
                candidates.add(h.replace(read.withResult(slot.stored().apply(old))));
            }
        }
        return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
    }

    /**
     * Like {@link #staleRead}, but the first possible read at or after {@code fraction} of the history, to measure
     * how the cost of refuting grows with the position of the violation. Null if none.
     */
    static History staleReadAt(double fraction, History h, Slot slot) {
        for (Operation read : h.operations().subList((int) (fraction * h.size()), h.size())) {
            if (!slot.reads(read)) {
                continue;
            }
            Operation newer = latest(h, o -> slot.overwrites(o, read) && o.responseNanos() < read.invokeNanos());
            if (newer == null) {
                continue;
            }
            Operation old = latest(h, o -> slot.overwrites(o, read) && o.responseNanos() < newer.invokeNanos()
                    && slot.stored().apply(o) != null);
            if (old != null) {
                return h.replace(read.withResult(slot.stored().apply(old)));
            }
        }
        return null;
    }

    /** One read made to return the value of a write invoked only after the read returned. Null if none. */
    static History readFromTheFuture(Random random, History h, Slot slot) {
        List<History> candidates = new ArrayList<>();
        for (Operation read : h.operations()) {
            History mutated = readFromTheFuture(read, h, slot);
            if (mutated != null) {
                candidates.add(mutated);
            }
        }
        return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
    }

    /** Like {@link #readFromTheFuture(Random, History, Slot)}, the first possible read from {@code fraction} on. */
    static History readFromTheFutureAt(double fraction, History h, Slot slot) {
        for (Operation read : h.operations().subList((int) (fraction * h.size()), h.size())) {
            History mutated = readFromTheFuture(read, h, slot);
            if (mutated != null) {
                return mutated;
            }
        }
        return null;
    }

    private static History readFromTheFuture(Operation read, History h, Slot slot) {
        if (!slot.reads(read)) {
            return null;
        }
        for (Operation w : h.operations().subList(read.id(), h.size())) {
            if (w.invokeNanos() > read.responseNanos() && w.outcome() != Outcome.FAILED
                    && slot.writeKinds().contains(w.kind()) && slot.stored().apply(w) != null
                    && Objects.equals(slot.object().apply(w), slot.object().apply(read))) {
                return h.replace(read.withResult(slot.stored().apply(w)));
            }
        }
        return null;
    }

    /**
     * A new-old inversion: a read made to return an older value although an earlier read, which responded before
     * it was invoked, already saw a newer one. The older value's only store, an OK write, responded before the
     * newer value's store was invoked, so the order is store of old, store of new, earlier read, this read, and
     * nothing brings the old value back. Only reads that the models' static check ({@link StaleReadAnalysis})
     * cannot rule out are chosen, so that the search has to: the first such read from {@code fraction} on, or
     * null. Needs the value each read returns to have exactly one store, as in {@link Workloads}.
     */
    static History newOldInversionAt(double fraction, History h, Slot slot, Model<?> model) {
        int tried = 0;
        for (Operation later : h.operations().subList((int) (fraction * h.size()), h.size())) {
            if (!slot.reads(later) || tried > 50) {
                continue;
            }
            Operation earlier = latest(h, o -> slot.reads(o) && o.responseNanos() < later.invokeNanos()
                    && Objects.equals(slot.object().apply(o), slot.object().apply(later)) && o.result() != null);
            if (earlier == null) {
                continue;
            }
            Operation newer = h.operations().stream().filter(o -> o.outcome() != Outcome.FAILED
                    && slot.writeKinds().contains(o.kind()) && Objects.equals(slot.stored().apply(o), earlier.result())
                    && Objects.equals(slot.object().apply(o), slot.object().apply(later))).findFirst().orElse(null);
            if (newer == null) {
                continue;
            }
            Operation old = latest(h, o -> slot.overwrites(o, later) && o.responseNanos() < newer.invokeNanos()
                    && slot.stored().apply(o) != null);
            if (old == null) {
                continue;
            }
            tried++;
            History mutated = h.replace(later.withResult(slot.stored().apply(old)));
            Operation changed = mutated.get(later.id());
            List<Operation> sameObject = mutated.operations().stream()
                    .filter(o -> o.outcome() != Outcome.FAILED
                            && Objects.equals(slot.object().apply(o), slot.object().apply(later)))
                    .toList();
            if (!ruledOutBeforeSearch(model, sameObject, changed)) {
                return mutated;
            }
        }
        return null;
    }

    private static <S> boolean ruledOutBeforeSearch(Model<S> model, List<Operation> ops, Operation op) {
        Model<S> specialized = model.specialize(ops);
        return specialized.isHopeless(specialized.initialState(), op);
    }

    private static Operation latest(History h, Predicate<Operation> which) {
        return h.operations().stream().filter(which).max(Comparator.comparingLong(Operation::responseNanos))
                .orElse(null);
    }

}
