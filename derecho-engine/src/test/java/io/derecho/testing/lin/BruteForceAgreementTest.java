package io.derecho.testing.lin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The checker's verdicts on small random histories (random intervals, outcomes and results from a small domain,
 * so that both verdicts are common) must equal those of a brute-force search over every order, without
 * memoization or any of the checker's reductions. This is what shows the reductions are exact.
 */
class BruteForceAgreementTest {
    private static final int HISTORIES = 3000;

    @Test
    void registerVerdictsMatchBruteForce() {
        Object[] values = {null, 1L, 2L, 3L};
        agree(new RegisterModel(), (random, i) -> switch (random.nextInt(3)) {
            case 0 -> new Object[] {"write", null, List.of(values[1 + random.nextInt(3)])};
            case 1 -> new Object[] {"read", values[random.nextInt(4)], List.of()};
            default -> new Object[] {"cas", random.nextBoolean(),
                    Arrays.asList(values[random.nextInt(4)], values[1 + random.nextInt(3)])};
        });
    }

    @Test
    void counterVerdictsMatchBruteForce() {
        agree(new CounterModel(), (random, i) -> random.nextInt(3) < 2
                ? new Object[] {"add", 1L + random.nextInt(3), List.of(random.nextInt(4) == 0 ? 2L : 1L)}
                : new Object[] {"get", (long) random.nextInt(4), List.of()});
    }

    @Test
    void mapVerdictsMatchBruteForce() {
        Object[] values = {null, 1L, 2L};
        agree(new KvMapModel(), (random, i) -> {
            String key = random.nextBoolean() ? "a" : "b";
            return switch (random.nextInt(4)) {
                case 0 -> new Object[] {"put", null, List.of(key, values[1 + random.nextInt(2)])};
                case 1 -> new Object[] {"get", values[random.nextInt(3)], List.of(key)};
                case 2 -> new Object[] {"delete", null, List.of(key)};
                default -> new Object[] {"cas", random.nextBoolean(),
                        Arrays.asList(key, values[random.nextInt(3)], values[random.nextInt(3)])};
            };
        });
    }

    /** Makes {kind, result, args} for operation i. */
    private interface OperationMaker {
        Object[] make(Random random, int i);
    }

    private static <S> void agree(Model<S> model, OperationMaker maker) {
        Map<Verdict, Integer> seen = new EnumMap<>(Verdict.class);
        for (long seed = 0; seed < HISTORIES; seed++) {
            Random random = new Random(seed);
            int n = 1 + random.nextInt(8);
            List<Operation> ops = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Object[] op = maker.make(random, i);
                long invoke = random.nextInt(20);
                long response = invoke + random.nextInt(10);
                int o = random.nextInt(10);
                Outcome outcome = o < 7 ? Outcome.OK : o < 9 ? Outcome.UNKNOWN : Outcome.FAILED;
                @SuppressWarnings("unchecked")
                List<Object> args = (List<Object>) op[2];
                ops.add(new Operation(i, "c" + i, (String) op[0], args, invoke, response, outcome,
                        outcome == Outcome.OK ? op[1] : null));
            }
            History h = History.of(ops);
            Verdict checker = LinearizabilityChecker.check(model, h).verdict();
            Verdict brute = bruteForce(model, h) ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE;
            assertThat(checker).as("seed %d:%n%s", seed, h.format()).isEqualTo(brute);
            seen.merge(checker, 1, Integer::sum);
        }
        assertThat(seen.get(Verdict.LINEARIZABLE)).isGreaterThan(100);
        assertThat(seen.get(Verdict.NOT_LINEARIZABLE)).isGreaterThan(100);
    }

    /**
     * Tries every order: an operation may go next unless an OK operation not yet placed responded before it was
     * invoked; UNKNOWN operations may be placed or left out; FAILED ones never take effect.
     */
    private static <S> boolean bruteForce(Model<S> model, History h) {
        List<Operation> ops = h.operations().stream().filter(o -> o.outcome() != Outcome.FAILED).toList();
        return extend(model, model.initialState(), ops, new boolean[ops.size()]);
    }

    private static <S> boolean extend(Model<S> model, S state, List<Operation> ops, boolean[] placed) {
        boolean allOkPlaced = true;
        for (int i = 0; i < ops.size(); i++) {
            allOkPlaced &= placed[i] || ops.get(i).outcome() != Outcome.OK;
        }
        if (allOkPlaced) {
            return true;
        }
        for (int i = 0; i < ops.size(); i++) {
            if (placed[i] || !mayGoNext(ops, placed, ops.get(i))) {
                continue;
            }
            S next = model.step(state, ops.get(i));
            if (next != null) {
                placed[i] = true;
                boolean found = extend(model, next, ops, placed);
                placed[i] = false;
                if (found) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean mayGoNext(List<Operation> ops, boolean[] placed, Operation candidate) {
        for (int j = 0; j < ops.size(); j++) {
            Operation other = ops.get(j);
            if (!placed[j] && other.outcome() == Outcome.OK && other.responseNanos() < candidate.invokeNanos()) {
                return false;
            }
        }
        return true;
    }
}
