package io.derecho.testing.lin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Hand-made register histories with known verdicts; times are in arbitrary ticks. */
class RegisterLinearizabilityTest {
    private static final RegisterModel REGISTER = new RegisterModel();

    private static CheckResult check(History h) {
        return LinearizabilityChecker.check(REGISTER, h);
    }

    @Test
    void sequentialWriteThenReadIsLinearizable() {
        History h = History.builder()
                .invoke("a", 0, "write", 1).ok(10)
                .invoke("b", 20, "read").ok(30, 1)
                .build();
        assertThat(check(h).verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void readConcurrentWithWriteMayReturnOldOrNewValue() {
        for (long seen : new long[] {1, 2}) {
            History h = History.builder()
                    .invoke("a", 0, "write", 1).ok(10)
                    .invoke("a", 20, "write", 2).ok(40)
                    .invoke("b", 25, "read").ok(35, seen)
                    .build();
            assertThat(check(h).verdict()).as("read %d", seen).isEqualTo(Verdict.LINEARIZABLE);
        }
    }

    @Test
    void staleReadAfterCompletedWriteIsRejectedNamingTheOverwrite() {
        History h = History.builder()
                .invoke("a", 0, "write", 1).ok(10)
                .invoke("a", 20, "write", 2).ok(30)
                .invoke("b", 40, "read").ok(50, 1)
                .build();
        CheckResult r = check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        PartitionResult p = r.problems().get(0);
        assertThat(p.overdue()).isEqualTo(h.get(2));
        assertThat(p.couldNotPlace()).singleElement().satisfies(u -> {
            assertThat(u.operation()).isEqualTo(h.get(2));
            assertThat(u.reason()).isEqualTo("can never take effect: the last store of 1 before this, #0, was "
                    + "overwritten by #1 write(2), which responded before this was invoked");
        });
        assertThat(r.explain()).contains("NOT_LINEARIZABLE", "stuck: #2 b read() -> 1 [40, 50]");
    }

    @Test
    void searchFailureIsExplainedByTheLongestPrefixAndWhatCouldNotFollowIt() {
        History h = History.builder()
                .invoke("a", 0, "write", 1).ok(100)
                .invoke("b", 10, "read").ok(20, 1)
                .invoke("b", 30, "read").ok(40, null)
                .build();
        CheckResult r = check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        PartitionResult p = r.problems().get(0);
        assertThat(p.longestPrefix()).containsExactly(h.get(0), h.get(1));
        assertThat(p.stateAfterPrefix()).isEqualTo("1");
        assertThat(p.overdue()).isEqualTo(h.get(2));
        assertThat(p.couldNotPlace()).singleElement().satisfies(u -> {
            assertThat(u.operation()).isEqualTo(h.get(2));
            assertThat(u.reason()).isEqualTo("returned nil but in state 1 it returns 1");
        });
        assertThat(r.explain()).contains("longest linearizable prefix: 2 operations",
                "#1 b read() -> 1 [10, 20]", "state after it: 1",
                "stuck: #2 b read() -> nil [30, 40] cannot take effect in time");
    }

    @Test
    void readOfValueWrittenAgainAfterBeingOverwrittenIsFine() {
        History h = History.builder()
                .invoke("a", 0, "write", 1).ok(10)
                .invoke("a", 20, "write", 2).ok(30)
                .invoke("c", 25, "write", 1).ok(60)
                .invoke("b", 40, "read").ok(50, 1)
                .build();
        assertThat(check(h).verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void readOfValueNeverWrittenIsRejected() {
        History h = History.builder()
                .invoke("a", 0, "write", 1).ok(10)
                .invoke("b", 5, "read").ok(15, 7)
                .build();
        assertThat(check(h).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void readsMustNotGoBackInTime() {
        History newThenOld = History.builder()
                .invoke("a", 0, "write", 1).ok(100)
                .invoke("b", 10, "read").ok(20, 1)
                .invoke("b", 30, "read").ok(40, null)
                .build();
        History oldThenNew = History.builder()
                .invoke("a", 0, "write", 1).ok(100)
                .invoke("b", 10, "read").ok(20, null)
                .invoke("b", 30, "read").ok(40, 1)
                .build();
        assertThat(check(newThenOld).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(check(oldThenNew).verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void compareAndSetCannotSucceedTwiceFromTheSameValue() {
        RegisterModel fromZero = new RegisterModel(0);
        History twice = History.builder()
                .invoke("a", 0, "cas", 0, 1).ok(10, true)
                .invoke("b", 5, "cas", 0, 2).ok(15, true)
                .build();
        History once = History.builder()
                .invoke("a", 0, "cas", 0, 1).ok(10, true)
                .invoke("b", 5, "cas", 0, 2).ok(15, false)
                .build();
        History chained = History.builder()
                .invoke("a", 0, "cas", 0, 1).ok(10, true)
                .invoke("b", 5, "cas", 1, 2).ok(15, true)
                .invoke("c", 20, "read").ok(30, 2)
                .build();
        assertThat(LinearizabilityChecker.check(fromZero, twice).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(LinearizabilityChecker.check(fromZero, once).verdict()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(LinearizabilityChecker.check(fromZero, chained).verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void failedCompareAndSetMustSeeAnotherValue() {
        History h = History.builder()
                .invoke("a", 0, "write", 1).ok(10)
                .invoke("b", 20, "cas", 1, 2).ok(30, false)
                .build();
        assertThat(check(h).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void unknownWriteMayExplainAReadOfItsValue() {
        History withUnknown = History.builder()
                .invoke("a", 0, "write", 1).unknown()
                .invoke("b", 100, "read").ok(110, 1)
                .build();
        History without = History.builder()
                .invoke("b", 100, "read").ok(110, 1)
                .build();
        assertThat(check(withUnknown).verdict()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(check(without).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void unknownWriteMayTakeEffectLongAfterItsClientGaveUp() {
        History h = History.builder()
                .invoke("a", 0, "write", 1).unknown(10)
                .invoke("b", 20, "read").ok(30, null)
                .invoke("b", 40, "read").ok(50, 1)
                .build();
        CheckResult r = check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(r.partitions().get(0).longestPrefix()).containsExactly(h.get(1), h.get(0), h.get(2));
    }

    @Test
    void unknownWriteMayNeverTakeEffect() {
        History h = History.builder()
                .invoke("a", 0, "write", 1).unknown(10)
                .invoke("b", 20, "read").ok(30, null)
                .invoke("b", 40, "read").ok(50, null)
                .build();
        assertThat(check(h).verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void unknownWriteCannotTakeEffectBeforeItsInvocation() {
        History h = History.builder()
                .invoke("b", 0, "read").ok(10, 1)
                .invoke("a", 20, "write", 1).unknown()
                .build();
        assertThat(check(h).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void unknownWriteTakesEffectAtMostOnce() {
        History h = History.builder()
                .invoke("a", 0, "write", 1).unknown()
                .invoke("b", 10, "read").ok(20, 1)
                .invoke("c", 30, "write", 2).ok(40)
                .invoke("b", 50, "read").ok(60, 1)
                .build();
        assertThat(check(h).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void failedWriteNeverTakesEffect() {
        History readsIt = History.builder()
                .invoke("a", 0, "write", 1).failed(10)
                .invoke("b", 20, "read").ok(30, 1)
                .build();
        History doesNot = History.builder()
                .invoke("a", 0, "write", 1).failed(10)
                .invoke("b", 5, "read").ok(30, null)
                .build();
        assertThat(check(readsIt).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(check(doesNot).verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void touchingIntervalsCountAsConcurrent() {
        History touching = History.builder()
                .invoke("a", 0, "write", 1).ok(10)
                .invoke("b", 10, "read").ok(20, null)
                .build();
        History apart = History.builder()
                .invoke("a", 0, "write", 1).ok(10)
                .invoke("b", 11, "read").ok(20, null)
                .build();
        History readTouchingTheWrite = History.builder()
                .invoke("b", 0, "read").ok(10, 1)
                .invoke("a", 10, "write", 1).ok(20)
                .build();
        History readBeforeTheWrite = History.builder()
                .invoke("b", 0, "read").ok(9, 1)
                .invoke("a", 10, "write", 1).ok(20)
                .build();
        assertThat(check(touching).verdict()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(check(apart).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(check(readTouchingTheWrite).verdict()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(check(readBeforeTheWrite).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void linearizableVerdictComesWithAWitnessOrder() {
        History h = History.builder()
                .invoke("a", 0, "write", 1).ok(50)
                .invoke("b", 0, "write", 2).ok(50)
                .invoke("c", 60, "read").ok(70, 1)
                .build();
        CheckResult r = check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(r.partitions().get(0).longestPrefix()).containsExactly(h.get(1), h.get(0), h.get(2));
    }
}
