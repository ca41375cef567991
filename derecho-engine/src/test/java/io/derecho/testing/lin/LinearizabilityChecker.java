package io.derecho.testing.lin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides whether a {@link History} is linearizable with respect to a {@link Model}: whether every operation that
 * took effect can be given one instant between its invocation and its response (any instant after its
 * invocation, or none, for an UNKNOWN one; none for a FAILED one) such that, in the order of those instants,
 * every OK operation returns what the model says.
 *
 * <pre>{@code
 * CheckResult r = LinearizabilityChecker.check(new KvMapModel(), recorder.history());
 * assertThat(r.verdict()).as(r.explain()).isEqualTo(Verdict.LINEARIZABLE);
 * }</pre>
 *
 * <p>The answer is exact (the search is exhaustive, see {@link WglSearch}) unless the {@link Budget} runs out,
 * which yields {@link Verdict#UNKNOWN} instead of a hang. The model's {@linkplain Model#partition partitions}
 * are checked one after the other, within one shared time limit.
 */
public final class LinearizabilityChecker {
    private final Budget budget;

    private LinearizabilityChecker(Budget budget) {
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    /** Checks with {@link Budget#DEFAULT}. */
    public static CheckResult check(Model<?> model, History history) {
        return new LinearizabilityChecker(Budget.DEFAULT).check0(model, history);
    }

    public static CheckResult check(Model<?> model, History history, Budget budget) {
        return new LinearizabilityChecker(budget).check0(model, history);
    }

    private <S> CheckResult check0(Model<S> model, History history) {
        long start = System.nanoTime();
        long deadline = start + budget.timeout().toNanos();
        List<Operation> effective = new ArrayList<>(history.size());
        for (Operation op : history.operations()) {
            model.validate(op);
            if (op.outcome() != Outcome.FAILED) {
                effective.add(op);
            }
        }
        Map<String, List<Operation>> parts = model.partition(effective);
        List<PartitionResult> results = new ArrayList<>(parts.size());
        for (Map.Entry<String, List<Operation>> part : parts.entrySet()) {
            if (System.nanoTime() - deadline > 0) {
                results.add(new PartitionResult(part.getKey(), Verdict.UNKNOWN, part.getValue().size(), 0, List.of(),
                        model.describe(model.initialState()), List.of(), null));
                continue;
            }
            results.add(new WglSearch<>(model.specialize(part.getValue()), part.getValue(), deadline,
                    budget.maxStatesPerPartition())
                    .run(part.getKey()));
        }
        return new CheckResult(CheckResult.combine(results), model.name(), history.size(), results,
                System.nanoTime() - start, history.originNanos());
    }
}
