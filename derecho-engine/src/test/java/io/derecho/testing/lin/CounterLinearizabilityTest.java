package io.derecho.testing.lin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Hand-made counter histories with known verdicts; {@code add} returns the new value. */
class CounterLinearizabilityTest {
    private static final CounterModel COUNTER = new CounterModel();

    private static Verdict verdict(History h) {
        return LinearizabilityChecker.check(COUNTER, h).verdict();
    }

    @Test
    void concurrentAddsMayTakeEffectInEitherOrder() {
        History h = History.builder()
                .invoke("a", 0, "add", 1).ok(10, 2)
                .invoke("b", 0, "add", 1).ok(10, 1)
                .invoke("c", 20, "get").ok(30, 2)
                .build();
        assertThat(verdict(h)).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void lostUpdateIsRejected() {
        History h = History.builder()
                .invoke("a", 0, "add", 1).ok(10, 1)
                .invoke("b", 5, "add", 1).ok(15, 1)
                .build();
        assertThat(verdict(h)).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void getAfterCompletedAddMustSeeIt() {
        History h = History.builder()
                .invoke("a", 0, "add", 5).ok(10, 5)
                .invoke("b", 20, "get").ok(30, 0)
                .build();
        assertThat(verdict(h)).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void unknownAddMayHaveCounted() {
        History withUnknown = History.builder()
                .invoke("a", 0, "add", 1).ok(10, 1)
                .invoke("b", 5, "add", 1).unknown(8)
                .invoke("c", 20, "get").ok(30, 2)
                .build();
        History without = History.builder()
                .invoke("a", 0, "add", 1).ok(10, 1)
                .invoke("c", 20, "get").ok(30, 2)
                .build();
        assertThat(verdict(withUnknown)).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(verdict(without)).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void unknownAddCountsAtMostOnce() {
        History h = History.builder()
                .invoke("b", 0, "add", 1).unknown()
                .invoke("c", 20, "get").ok(30, 2)
                .build();
        assertThat(verdict(h)).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void failedAddNeverCounts() {
        History counted = History.builder()
                .invoke("a", 0, "add", 1).failed(10)
                .invoke("b", 20, "get").ok(30, 1)
                .build();
        History notCounted = History.builder()
                .invoke("a", 0, "add", 1).failed(10)
                .invoke("b", 20, "get").ok(30, 0)
                .build();
        assertThat(verdict(counted)).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(verdict(notCounted)).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void identicalUnknownAddsEachCountAtMostOnce() {
        HistoryBuilder b = History.builder();
        for (int i = 0; i < 3; i++) {
            b.invoke("u" + i, i, "add", 1).unknown();
        }
        History three = b.invoke("r", 10, "get").ok(20, 1)
                .invoke("r", 30, "get").ok(40, 3)
                .invoke("r", 50, "get").ok(60, 3)
                .build();
        History four = three.replace(three.get(5).withResult(4L));
        assertThat(verdict(three)).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(verdict(four)).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void unknownAddInvokedLaterCannotExplainAnEarlierGet() {
        History h = History.builder()
                .invoke("a", 0, "get").ok(10, 1)
                .invoke("b", 20, "add", 1).unknown()
                .build();
        assertThat(verdict(h)).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void mixedUnknownAddsCanSumToAnObservedValue() {
        History h = History.builder()
                .invoke("a", 0, "add", 2).unknown()
                .invoke("b", 0, "add", 3).unknown()
                .invoke("c", 0, "add", 4).unknown()
                .invoke("d", 10, "add", 1).ok(20, 8)
                .invoke("d", 30, "get").ok(40, 10)
                .build();
        assertThat(verdict(h)).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(verdict(h.replace(h.get(4).withResult(11L)))).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }
}
