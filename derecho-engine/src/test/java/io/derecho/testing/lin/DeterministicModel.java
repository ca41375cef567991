package io.derecho.testing.lin;

import java.util.Objects;

/**
 * A {@link Model} whose operations have one outcome in each state: {@link #apply} says the next state and the
 * result the operation must return, and {@link #step} accepts an OK operation only if it returned exactly that.
 *
 * @param <S> the state type
 */
public interface DeterministicModel<S> extends Model<S> {

    /**
     * What an operation does in a state.
     *
     * @param next the state after it
     * @param checked whether the returned value is checked against {@code result} (false for writes, whose
     *     acknowledgement carries no information)
     * @param result the value it must return when checked
     */
    record Transition<S>(S next, boolean checked, Object result) {
        public Transition {
            Objects.requireNonNull(next, "next");
            result = Values.normalize(result);
        }

        public static <S> Transition<S> returns(S next, Object result) {
            return new Transition<>(next, true, result);
        }

        public static <S> Transition<S> unchecked(S next) {
            return new Transition<>(next, false, null);
        }
    }

    Transition<S> apply(S state, Operation op);

    @Override
    default S step(S state, Operation op) {
        Transition<S> t = apply(state, op);
        if (op.outcome() == Outcome.OK && t.checked() && !Objects.equals(t.result(), op.result())) {
            return null;
        }
        return t.next();
    }

    @Override
    default String whyIllegal(S state, Operation op) {
        Transition<S> t = apply(state, op);
        return "returned " + Values.format(op.result()) + " but in state " + describe(state) + " it returns "
                + Values.format(t.result());
    }
}
