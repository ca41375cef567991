package io.derecho.sst;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Predicates over the SST and their triggers, evaluated on the protocol loop after each batch of
 * inbound frames and after local changes, in registration order; never by busy polling.
 */
public final class Predicates {

    /** When a trigger fires. */
    public enum Kind {
        /** Fires once, the first time the condition holds, then is removed. */
        ONE_TIME,
        /** Fires at every evaluation in which the condition holds. */
        RECURRENT,
        /** Fires when the condition goes from false to true. */
        TRANSITION
    }

    private static final class Entry {
        final Kind kind;
        final BooleanSupplier condition;
        final Runnable trigger;
        boolean last;
        boolean removed;

        Entry(Kind kind, BooleanSupplier condition, Runnable trigger) {
            this.kind = kind;
            this.condition = condition;
            this.trigger = trigger;
        }
    }

    /** Handle to remove a registered predicate. */
    public interface Handle {
        void remove();
    }

    private final List<Entry> entries = new ArrayList<>();

    public Handle register(Kind kind, BooleanSupplier condition, Runnable trigger) {
        Entry e = new Entry(kind, condition, trigger);
        entries.add(e);
        return () -> e.removed = true;
    }

    /** Registers a predicate to be evaluated before every one registered so far. */
    public Handle registerFirst(Kind kind, BooleanSupplier condition, Runnable trigger) {
        Entry e = new Entry(kind, condition, trigger);
        entries.add(0, e);
        return () -> e.removed = true;
    }

    /** Evaluates every predicate once, in registration order. */
    public void evaluate() {
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.removed) {
                continue;
            }
            boolean now = e.condition.getAsBoolean();
            switch (e.kind) {
                case RECURRENT -> {
                    if (now) {
                        e.trigger.run();
                    }
                }
                case ONE_TIME -> {
                    if (now) {
                        e.removed = true;
                        e.trigger.run();
                    }
                }
                case TRANSITION -> {
                    if (now && !e.last) {
                        e.trigger.run();
                    }
                    e.last = now;
                }
            }
        }
        entries.removeIf(e -> e.removed);
    }

    public int size() {
        return entries.size();
    }
}
