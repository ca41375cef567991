package io.derecho.testing.lin;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A key-value map where an absent key reads as nil: {@code put(k, v)} (nil removes; returns nothing checked),
 * {@code get(k) -> v}, {@code delete(k)} (returns nothing checked) and {@code cas(k, expected, new) -> true|false}
 * (nil expected means absent, nil new means remove).
 *
 * <p>The map is a product of one register per key and every operation touches one key, so the history is
 * {@linkplain #partition partitioned} by key and each key checked on its own: a map history is linearizable iff
 * every per-key sub-history is (locality of linearizability). That turns one search over the whole history into
 * many small ones. Gets that real-time order alone rules out (see {@link StaleReadAnalysis}) are rejected before
 * any search.
 */
public final class KvMapModel implements DeterministicModel<Map<Object, Object>> {
    /** Gets no linearization can explain, with the reason, once specialized to a history; else empty. */
    private final Map<Operation, String> impossible;

    public KvMapModel() {
        this(Map.of());
    }

    private KvMapModel(Map<Operation, String> impossible) {
        this.impossible = impossible;
    }

    @Override
    public KvMapModel specialize(List<Operation> operations) {
        Map<Object, List<StaleReadAnalysis.Store>> stores = new LinkedHashMap<>();
        Map<Object, List<StaleReadAnalysis.Observation>> observations = new LinkedHashMap<>();
        for (Operation op : operations) {
            Object key = op.arg(0);
            List<StaleReadAnalysis.Store> keyStores = stores.computeIfAbsent(key, k -> new ArrayList<>());
            List<StaleReadAnalysis.Observation> keyObservations = observations.computeIfAbsent(key,
                    k -> new ArrayList<>());
            boolean ok = op.outcome() == Outcome.OK;
            switch (op.kind()) {
                case "put" -> keyStores.add(new StaleReadAnalysis.Store(op, op.arg(1), ok));
                case "delete" -> keyStores.add(new StaleReadAnalysis.Store(op, null, ok));
                case "get" -> {
                    if (ok) {
                        keyObservations.add(new StaleReadAnalysis.Observation(op, op.result()));
                    }
                }
                case "cas" -> {
                    if (!ok || Boolean.TRUE.equals(op.result())) {
                        keyStores.add(new StaleReadAnalysis.Store(op, op.arg(2), ok));
                    }
                    if (ok && Boolean.TRUE.equals(op.result())) {
                        keyObservations.add(new StaleReadAnalysis.Observation(op, op.arg(1)));
                    }
                }
                default -> {
                }
            }
        }
        Map<Operation, String> found = new HashMap<>();
        stores.forEach((key, keyStores) -> found.putAll(
                StaleReadAnalysis.impossible(null, keyStores, observations.get(key))));
        return new KvMapModel(found);
    }

    @Override
    public boolean isHopeless(Map<Object, Object> state, Operation op) {
        return impossible.containsKey(op);
    }

    @Override
    public String whyHopeless(Map<Object, Object> state, Operation op) {
        return impossible.get(op);
    }

    @Override
    public String name() {
        return "map";
    }

    @Override
    public Map<Object, Object> initialState() {
        return Map.of();
    }

    @Override
    public void validate(Operation op) {
        int arity = switch (op.kind()) {
            case "put" -> 2;
            case "get", "delete" -> 1;
            case "cas" -> 3;
            default -> throw new IllegalArgumentException("map model: unknown operation kind '" + op.kind() + "' in "
                    + op + ", expected put, get, delete or cas");
        };
        if (op.args().size() != arity) {
            throw new IllegalArgumentException("map model: " + op.kind() + " takes " + arity + " argument(s), " + op
                    + " has " + op.args().size());
        }
        if (op.arg(0) == null) {
            throw new IllegalArgumentException("map model: the key of " + op + " is nil");
        }
    }

    @Override
    public boolean isReadOnly(Operation op) {
        return switch (op.kind()) {
            case "get" -> true;
            case "cas" -> Objects.equals(op.arg(1), op.arg(2))
                    || (op.outcome() == Outcome.OK && Boolean.FALSE.equals(op.result()));
            default -> false;
        };
    }

    @Override
    public Transition<Map<Object, Object>> apply(Map<Object, Object> state, Operation op) {
        Object key = op.arg(0);
        return switch (op.kind()) {
            case "put" -> Transition.unchecked(with(state, key, op.arg(1)));
            case "delete" -> Transition.unchecked(with(state, key, null));
            case "get" -> Transition.returns(state, state.get(key));
            case "cas" -> Objects.equals(state.get(key), op.arg(1))
                    ? Transition.returns(with(state, key, op.arg(2)), true)
                    : Transition.returns(state, false);
            default -> throw new IllegalArgumentException("map model: unknown operation " + op);
        };
    }

    @Override
    public Map<String, List<Operation>> partition(List<Operation> operations) {
        Map<Object, List<Operation>> byKey = new LinkedHashMap<>();
        for (Operation op : operations) {
            byKey.computeIfAbsent(op.arg(0), k -> new ArrayList<>()).add(op);
        }
        Map<String, List<Operation>> parts = new LinkedHashMap<>();
        byKey.forEach((key, ops) -> parts.put("key " + Values.format(key), ops));
        return parts;
    }

    private static Map<Object, Object> with(Map<Object, Object> state, Object key, Object value) {
        if (Objects.equals(state.get(key), value)) {
            return state;
        }
        if (value == null && state.size() == 1) {
            return Map.of();
        }
        if (state.isEmpty()) {
            return Map.of(key, value);
        }
        Map<Object, Object> copy = new HashMap<>(state);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return Collections.unmodifiableMap(copy);
    }
}
