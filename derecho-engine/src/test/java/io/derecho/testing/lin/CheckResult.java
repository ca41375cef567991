package io.derecho.testing.lin;

import java.util.List;

/**
 * The checker's answer for a whole history: NOT_LINEARIZABLE if any part is (a definite answer, whatever the
 * other parts), else UNKNOWN if any part ran out of budget, else LINEARIZABLE.
 */
public record CheckResult(Verdict verdict, String model, int operations, List<PartitionResult> partitions,
                          long elapsedNanos, long originNanos) {

    private static final int SHOWN_PARTITIONS = 3;

    public CheckResult {
        partitions = List.copyOf(partitions);
    }

    static Verdict combine(List<PartitionResult> partitions) {
        Verdict v = Verdict.LINEARIZABLE;
        for (PartitionResult p : partitions) {
            if (p.verdict() == Verdict.NOT_LINEARIZABLE) {
                return Verdict.NOT_LINEARIZABLE;
            }
            if (p.verdict() == Verdict.UNKNOWN) {
                v = Verdict.UNKNOWN;
            }
        }
        return v;
    }

    public boolean isLinearizable() {
        return verdict == Verdict.LINEARIZABLE;
    }

    public long statesExplored() {
        return partitions.stream().mapToLong(PartitionResult::statesExplored).sum();
    }

    /** The parts that are not linearizable, or whose check ran out of budget. */
    public List<PartitionResult> problems() {
        return partitions.stream().filter(p -> p.verdict() != Verdict.LINEARIZABLE).toList();
    }

    /** Throws an {@link AssertionError} with the {@linkplain #explain() explanation} unless LINEARIZABLE. */
    public CheckResult requireLinearizable() {
        if (!isLinearizable()) {
            throw new AssertionError(explain());
        }
        return this;
    }

    /** A summary line, then the details of up to three problematic parts. */
    public String explain() {
        StringBuilder sb = new StringBuilder();
        sb.append(model).append(" history of ").append(operations).append(" operations in ").append(partitions.size())
                .append(partitions.size() == 1 ? " part: " : " parts: ").append(verdict).append(" (")
                .append(statesExplored()).append(" states, ").append(elapsedNanos / 1_000_000).append(" ms")
                .append("; times below are nanoseconds since the first invocation)\n");
        List<PartitionResult> problems = problems();
        List<PartitionResult> definite = problems.stream()
                .filter(p -> p.verdict() == Verdict.NOT_LINEARIZABLE).toList();
        List<PartitionResult> shown = definite.isEmpty() ? problems : definite;
        for (int i = 0; i < Math.min(SHOWN_PARTITIONS, shown.size()); i++) {
            sb.append(shown.get(i).explain(originNanos));
        }
        if (shown.size() > SHOWN_PARTITIONS) {
            sb.append("... and ").append(shown.size() - SHOWN_PARTITIONS).append(" more such parts\n");
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return explain();
    }
}
