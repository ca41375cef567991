package io.derecho.testing.lin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A single register: {@code write(v)} (returns nothing checked), {@code read() -> v} and
 * {@code cas(expected, new) -> true|false} (compare-and-set, with value equality). The initial value is nil unless
 * given.
 *
 * <p>Reads that no linearization can explain by real-time order alone (a value never written, written only by
 * FAILED writes, or overwritten before the read began) are rejected before any search, see
 * {@link StaleReadAnalysis}.
 */
public final class RegisterModel implements DeterministicModel<RegisterModel.Cell> {
    /** The register's state; {@code value} null is nil. */
    public record Cell(Object value) {
        @Override
        public String toString() {
            return Values.format(value);
        }
    }

    private final Cell initial;
    /** Reads no linearization can explain, with the reason, once specialized to a history; else empty. */
    private final Map<Operation, String> impossible;

    public RegisterModel() {
        this(null);
    }

    public RegisterModel(Object initialValue) {
        this(new Cell(Values.normalize(initialValue)), Map.of());
    }

    private RegisterModel(Cell initial, Map<Operation, String> impossible) {
        this.initial = initial;
        this.impossible = impossible;
    }

    @Override
    public RegisterModel specialize(List<Operation> operations) {
        List<StaleReadAnalysis.Store> stores = new ArrayList<>();
        List<StaleReadAnalysis.Observation> observations = new ArrayList<>();
        for (Operation op : operations) {
            boolean ok = op.outcome() == Outcome.OK;
            switch (op.kind()) {
                case "write" -> stores.add(new StaleReadAnalysis.Store(op, op.arg(0), ok));
                case "read" -> {
                    if (ok) {
                        observations.add(new StaleReadAnalysis.Observation(op, op.result()));
                    }
                }
                case "cas" -> {
                    if (!ok || Boolean.TRUE.equals(op.result())) {
                        stores.add(new StaleReadAnalysis.Store(op, op.arg(1), ok));
                    }
                    if (ok && Boolean.TRUE.equals(op.result())) {
                        observations.add(new StaleReadAnalysis.Observation(op, op.arg(0)));
                    }
                }
                default -> {
                }
            }
        }
        return new RegisterModel(initial, StaleReadAnalysis.impossible(initial.value(), stores, observations));
    }

    @Override
    public boolean isHopeless(Cell state, Operation op) {
        return impossible.containsKey(op);
    }

    @Override
    public String whyHopeless(Cell state, Operation op) {
        return impossible.get(op);
    }

    @Override
    public String name() {
        return "register";
    }

    @Override
    public Cell initialState() {
        return initial;
    }

    @Override
    public void validate(Operation op) {
        int arity = switch (op.kind()) {
            case "write" -> 1;
            case "read" -> 0;
            case "cas" -> 2;
            default -> throw new IllegalArgumentException("register model: unknown operation kind '" + op.kind()
                    + "' in " + op + ", expected write, read or cas");
        };
        if (op.args().size() != arity) {
            throw new IllegalArgumentException("register model: " + op.kind() + " takes " + arity + " argument(s), "
                    + op + " has " + op.args().size());
        }
    }

    @Override
    public boolean isReadOnly(Operation op) {
        return switch (op.kind()) {
            case "read" -> true;
            case "cas" -> Objects.equals(op.arg(0), op.arg(1))
                    || (op.outcome() == Outcome.OK && Boolean.FALSE.equals(op.result()));
            default -> false;
        };
    }

    @Override
    public Transition<Cell> apply(Cell state, Operation op) {
        return switch (op.kind()) {
            case "write" -> Transition.unchecked(new Cell(op.arg(0)));
            case "read" -> Transition.returns(state, state.value());
            case "cas" -> Objects.equals(state.value(), op.arg(0))
                    ? Transition.returns(new Cell(op.arg(1)), true)
                    : Transition.returns(state, false);
            default -> throw new IllegalArgumentException("register model: unknown operation " + op);
        };
    }
}
