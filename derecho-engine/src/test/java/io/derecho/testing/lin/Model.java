package io.derecho.testing.lin;

import java.util.List;
import java.util.Map;

/**
 * The sequential specification of an object: what each operation does and may return when operations run one
 * at a time. A history is linearizable when its operations can be put in one order, consistent with real time,
 * in which every OK operation returns what this model says.
 *
 * <p>States are immutable, never {@code null}, and have value-based {@code equals} and {@code hashCode}: the
 * checker memoizes the states it has explored.
 *
 * @param <S> the state type
 */
public interface Model<S> {

    /** A short name for messages, such as {@code "register"}. */
    String name();

    S initialState();

    /**
     * The state after {@code op} takes effect in {@code state}, or {@code null} if {@code op} cannot return what it
     * returned there. For an UNKNOWN operation the result is unknown, so only its effect matters. Never called
     * for FAILED operations: those did not take effect.
     */
    S step(S state, Operation op);

    /**
     * Rejects, with a message naming the operation, an operation this model does not understand (unknown kind,
     * wrong number or type of arguments). Called once per operation before the search.
     */
    default void validate(Operation op) {
    }

    /**
     * Whether {@code op}, with the result it returned, leaves every state in which it is legal unchanged (a read, a
     * compare-and-set that returned false). The checker then places such an operation as soon as it is legal
     * without trying alternatives, which is always safe: moving a legal no-op earlier changes no other result. For
     * an UNKNOWN operation, whether it leaves every state unchanged whatever it returned; such operations are
     * dropped, since they carry no information. False by default, which is always correct but slower.
     */
    default boolean isReadOnly(Operation op) {
        return false;
    }

    /**
     * Whether {@code op} is legal in no state reachable from {@code state} by any operations of the partition: the
     * search then abandons {@code state} at once instead of finding out at {@code op}'s response. Must be exact:
     * answer false when unsure (the default). Only asked of OK operations.
     */
    default boolean isHopeless(S state, Operation op) {
        return false;
    }

    /** Why {@code op} is hopeless in {@code state}, for explanations; {@link #isHopeless} returned true. */
    default String whyHopeless(S state, Operation op) {
        return "it is legal in no state reachable from " + describe(state);
    }

    /**
     * This model for the operations of one partition, free to use what it learns from them (for example that a
     * counter only grows, see {@link #isHopeless}). By default the model itself.
     */
    default Model<S> specialize(List<Operation> operations) {
        return this;
    }

    /** Why {@code op} cannot be applied in {@code state}, for explanations; {@link #step} returned null. */
    default String whyIllegal(S state, Operation op) {
        return "returned " + Values.format(op.result()) + ", not possible in state " + describe(state);
    }

    default String describe(S state) {
        return String.valueOf(state);
    }

    /**
     * Splits the operations (FAILED ones already removed, in invocation order) into independent sub-histories, each
     * checked on its own from {@link #initialState()}: valid when the object is a product of independent objects,
     * like the keys of a map. Keys label the parts in explanations. By default the history is one part.
     */
    default Map<String, List<Operation>> partition(List<Operation> operations) {
        return Map.of(name(), operations);
    }
}
