package io.derecho.testing.lin;

import java.util.List;

/**
 * A counter of longs: {@code add(delta) -> new value} and {@code get() -> value}. Starts at 0 unless given.
 *
 * <p>When no add of a history subtracts, the counter only grows, and an operation that returned less than the
 * current value can never be placed: the search drops such configurations at once. Histories with UNKNOWN adds of
 * many different deltas are the hard case (which of them took effect is a subset-sum question); unit increments
 * are cheap, as identical UNKNOWN operations are interchangeable.
 */
public final class CounterModel implements DeterministicModel<Long> {
    private final long initial;
    private final boolean onlyGrows;

    public CounterModel() {
        this(0);
    }

    public CounterModel(long initialValue) {
        this(initialValue, false);
    }

    private CounterModel(long initialValue, boolean onlyGrows) {
        this.initial = initialValue;
        this.onlyGrows = onlyGrows;
    }

    @Override
    public CounterModel specialize(List<Operation> operations) {
        long highest = initial; // with every add applied; if that cannot overflow, no state can wrap around
        try {
            for (Operation op : operations) {
                if (op.kind().equals("add")) {
                    long delta = (Long) op.arg(0);
                    if (delta < 0) {
                        return this;
                    }
                    highest = Math.addExact(highest, delta);
                }
            }
        } catch (ArithmeticException overflow) {
            return this;
        }
        return new CounterModel(initial, true);
    }

    @Override
    public boolean isHopeless(Long state, Operation op) {
        if (!onlyGrows || op.outcome() != Outcome.OK) {
            return false;
        }
        if (!(op.result() instanceof Long result)) {
            return true;
        }
        if (op.kind().equals("get")) {
            return state > result;
        }
        long delta = (Long) op.arg(0);
        return result - delta <= result && state > result - delta; // the first test rules out an underflow
    }

    @Override
    public String name() {
        return "counter";
    }

    @Override
    public Long initialState() {
        return initial;
    }

    @Override
    public void validate(Operation op) {
        switch (op.kind()) {
            case "add" -> {
                if (op.args().size() != 1 || !(op.arg(0) instanceof Long)) {
                    throw new IllegalArgumentException("counter model: add takes one long, got " + op);
                }
            }
            case "get" -> {
                if (!op.args().isEmpty()) {
                    throw new IllegalArgumentException("counter model: get takes no arguments, got " + op);
                }
            }
            default -> throw new IllegalArgumentException("counter model: unknown operation kind '" + op.kind()
                    + "' in " + op + ", expected add or get");
        }
    }

    @Override
    public boolean isReadOnly(Operation op) {
        return op.kind().equals("get") || (op.kind().equals("add") && Long.valueOf(0).equals(op.arg(0)));
    }

    @Override
    public Transition<Long> apply(Long state, Operation op) {
        return switch (op.kind()) {
            case "add" -> {
                long next = state + (Long) op.arg(0);
                yield Transition.returns(next, next);
            }
            case "get" -> Transition.returns(state, state);
            default -> throw new IllegalArgumentException("counter model: unknown operation " + op);
        };
    }
}
