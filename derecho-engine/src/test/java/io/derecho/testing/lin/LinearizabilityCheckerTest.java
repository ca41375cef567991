package io.derecho.testing.lin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The checker's contract beyond single models: budgets, validation, combining parts, explanations. */
class LinearizabilityCheckerTest {

    @Test
    void emptyHistoryIsLinearizable() {
        CheckResult r = LinearizabilityChecker.check(new RegisterModel(), History.of(List.of()));
        assertThat(r.verdict()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(r.requireLinearizable()).isSameAs(r);
    }

    @Test
    void operationTheModelDoesNotKnowIsRejectedUpFront() {
        History h = History.builder().invoke("a", 0, "increment").ok(1).build();
        assertThatThrownBy(() -> LinearizabilityChecker.check(new CounterModel(), h))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown operation kind 'increment'");
        History wrongArity = History.builder().invoke("a", 0, "write").ok(1).build();
        assertThatThrownBy(() -> LinearizabilityChecker.check(new RegisterModel(), wrongArity))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("write takes 1 argument(s)");
    }

    @Test
    void exhaustedStateBudgetGivesUnknownNotAHang() {
        History h = SimulatedHistory.generate(new Random(1),
                new SimulatedHistory.Settings(8, 400, 100, 20, 0.0, 0.0), Workloads.register(),
                Workloads.registerObject());
        CheckResult r = LinearizabilityChecker.check(new RegisterModel(), h,
                Budget.DEFAULT.withMaxStatesPerPartition(100));
        assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(r.partitions().get(0).statesExplored()).isEqualTo(100);
        assertThat(r.explain()).contains("search budget exhausted");
        assertThatThrownBy(r::requireLinearizable).isInstanceOf(AssertionError.class)
                .hasMessageContaining("UNKNOWN");
    }

    @Test
    void exhaustedTimeBudgetGivesUnknown() {
        History h = SimulatedHistory.generate(new Random(2),
                new SimulatedHistory.Settings(8, 2000, 100, 20, 0.0, 0.0), Workloads.kvMap(4),
                Workloads.kvMapObject());
        CheckResult r = LinearizabilityChecker.check(new KvMapModel(), h,
                Budget.DEFAULT.withTimeout(Duration.ofNanos(1)));
        assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
    }

    @Test
    void oneNonLinearizablePartWinsOverPartsThatRanOutOfBudget() {
        PartitionResult ok = new PartitionResult("a", Verdict.LINEARIZABLE, 1, 1, List.of(), "", List.of(), null);
        PartitionResult unknown = new PartitionResult("b", Verdict.UNKNOWN, 1, 1, List.of(), "", List.of(), null);
        PartitionResult bad = new PartitionResult("c", Verdict.NOT_LINEARIZABLE, 1, 1, List.of(), "", List.of(), null);
        assertThat(CheckResult.combine(List.of(ok, unknown, bad))).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(CheckResult.combine(List.of(ok, unknown))).isEqualTo(Verdict.UNKNOWN);
        assertThat(CheckResult.combine(List.of(ok, ok))).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void explanationListsTheLastOperationsOfTheLongestPrefix() {
        HistoryBuilder b = History.builder();
        for (int i = 0; i < 30; i++) {
            b.invoke("w", 100 + 10L * i, "write", i).ok(105 + 10L * i);
        }
        History h = b.invoke("w", 1000, "write", 30).ok(2000)
                .invoke("r", 1100, "read").ok(1110, 30)
                .invoke("r", 1200, "read").ok(1210, 29) // 30 was read before, so 29 is gone for good
                .build();
        CheckResult r = LinearizabilityChecker.check(new RegisterModel(), h);
        assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(r.problems().get(0).longestPrefix()).hasSize(32);
        assertThat(r.explain())
                .contains("longest linearizable prefix: 32 operations", "... 20 earlier operations",
                        "#30 w write(30) -> nil [900, 1900]", "#31 r read() -> 30 [1000, 1010]", "state after it: 30",
                        "#32 r read() -> 29 [1100, 1110]: returned 29 but in state 30 it returns 30")
                .doesNotContain("#19 w write(19)");
    }

    @Test
    void operationsMustNotRespondBeforeTheyAreInvoked() {
        assertThatThrownBy(() -> History.builder().invoke("a", 10, "read").ok(5, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("before its invocation");
    }

    @Test
    void onlyOkOperationsHaveResults() {
        assertThatThrownBy(() -> new Operation(0, "a", "read", List.of(), 0, 1, Outcome.FAILED, 3L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no result");
    }

    @Test
    void integersAndLongsAreTheSameValue() {
        History h = History.builder()
                .invoke("a", 0, "write", 7).ok(10)
                .invoke("b", 20, "read").ok(30, 7L)
                .build();
        assertThat(LinearizabilityChecker.check(new RegisterModel(), h).verdict()).isEqualTo(Verdict.LINEARIZABLE);
        assertThatThrownBy(() -> History.builder().invoke("a", 0, "write", 1.5).ok(10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported value 1.5");
    }
}
