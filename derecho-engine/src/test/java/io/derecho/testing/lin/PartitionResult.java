package io.derecho.testing.lin;

import java.util.List;

/**
 * The verdict on one independent part of a history (one key of a map, or the whole history).
 *
 * @param partition the part's label, such as {@code "key \"a\""}
 * @param operations how many operations it had (FAILED ones excluded)
 * @param statesExplored configurations (set of linearized operations, state) the search memoized
 * @param longestPrefix when LINEARIZABLE, a witness: the OK operations (and the UNKNOWN ones that had to take
 *     effect) in a legal order; otherwise the longest legal order of a prefix the search found
 * @param stateAfterPrefix the model state after {@code longestPrefix}
 * @param couldNotPlace when not LINEARIZABLE: the operations that could have come next after the longest prefix
 *     (UNKNOWN ones: the first 16), and why none of them fits
 * @param overdue when not LINEARIZABLE: the operation that cannot take effect in time after the longest prefix
 *     (its response comes before it could be placed, or the model says it never can)
 */
public record PartitionResult(String partition, Verdict verdict, int operations, long statesExplored,
                              List<Operation> longestPrefix, String stateAfterPrefix, List<Unplaced> couldNotPlace,
                              Operation overdue) {

    /** An operation that could not take effect at the end of the longest prefix, and why. */
    public record Unplaced(Operation operation, String reason) {
    }

    private static final int SHOWN_PREFIX = 12;
    private static final int SHOWN_UNPLACED = 20;

    public PartitionResult {
        longestPrefix = List.copyOf(longestPrefix);
        couldNotPlace = List.copyOf(couldNotPlace);
    }

    /** A few lines for a test failure; times relative to {@code originNanos}. */
    public String explain(long originNanos) {
        StringBuilder sb = new StringBuilder();
        sb.append(partition).append(": ").append(verdict).append(" (").append(operations).append(" operations, ")
                .append(statesExplored).append(" states explored)\n");
        if (verdict == Verdict.LINEARIZABLE) {
            return sb.toString();
        }
        if (verdict == Verdict.UNKNOWN) {
            sb.append("  search budget exhausted; the deepest point reached so far:\n");
        }
        sb.append("  longest linearizable prefix: ").append(longestPrefix.size()).append(" operations")
                .append(longestPrefix.isEmpty() ? "" : ", ending with:").append('\n');
        int from = Math.max(0, longestPrefix.size() - SHOWN_PREFIX);
        if (from > 0) {
            sb.append("    ... ").append(from).append(" earlier operations\n");
        }
        for (int i = from; i < longestPrefix.size(); i++) {
            sb.append("    ").append(longestPrefix.get(i).describe(originNanos)).append('\n');
        }
        sb.append("  state after it: ").append(stateAfterPrefix).append('\n');
        if (overdue != null) {
            sb.append("  stuck: ").append(overdue.describe(originNanos))
                    .append(" cannot take effect in time; the operations that could come next:\n");
        }
        for (int i = 0; i < Math.min(SHOWN_UNPLACED, couldNotPlace.size()); i++) {
            Unplaced u = couldNotPlace.get(i);
            sb.append("    ").append(u.operation().describe(originNanos)).append(": ").append(u.reason()).append('\n');
        }
        if (couldNotPlace.size() > SHOWN_UNPLACED) {
            sb.append("    ... and ").append(couldNotPlace.size() - SHOWN_UNPLACED).append(" more\n");
        }
        return sb.toString();
    }
}
