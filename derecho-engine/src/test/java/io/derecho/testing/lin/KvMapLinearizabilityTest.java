package io.derecho.testing.lin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Hand-made key-value map histories; each key is checked on its own. */
class KvMapLinearizabilityTest {
    private static final KvMapModel MAP = new KvMapModel();

    private static CheckResult check(History h) {
        return LinearizabilityChecker.check(MAP, h);
    }

    @Test
    void keysAreCheckedIndependently() {
        History h = History.builder()
                .invoke("a", 0, "put", "x", 1).ok(10)
                .invoke("b", 0, "put", "y", 2).ok(10)
                .invoke("a", 20, "get", "x").ok(30, 1)
                .invoke("b", 20, "get", "y").ok(30, 2)
                .invoke("c", 20, "get", "z").ok(30, null)
                .build();
        CheckResult r = check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(r.partitions()).extracting(PartitionResult::partition)
                .containsExactly("key \"x\"", "key \"y\"", "key \"z\"");
    }

    @Test
    void staleReadOfOneKeyIsRejectedAndNamed() {
        History h = History.builder()
                .invoke("a", 0, "put", "x", 1).ok(10)
                .invoke("a", 20, "put", "y", 1).ok(30)
                .invoke("a", 40, "put", "y", 2).ok(50)
                .invoke("b", 60, "get", "x").ok(70, 1)
                .invoke("b", 80, "get", "y").ok(90, 1)
                .build();
        CheckResult r = check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(r.problems()).extracting(PartitionResult::partition).containsExactly("key \"y\"");
        assertThat(r.explain()).contains("key \"y\": NOT_LINEARIZABLE", "#4 b get(\"y\") -> 1");
    }

    @Test
    void putIfAbsentCannotSucceedTwice() {
        History h = History.builder()
                .invoke("a", 0, "cas", "k", null, 1).ok(10, true)
                .invoke("b", 0, "cas", "k", null, 2).ok(10, true)
                .build();
        assertThat(check(h).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void deletedKeyReadsNil() {
        History deleted = History.builder()
                .invoke("a", 0, "put", "k", 1).ok(10)
                .invoke("a", 20, "delete", "k").ok(30)
                .invoke("b", 40, "get", "k").ok(50, null)
                .build();
        History resurrected = deleted.replace(deleted.get(2).withResult(1L));
        assertThat(check(deleted).verdict()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(check(resurrected).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void compareAndSetToNilRemovesTheKey() {
        History h = History.builder()
                .invoke("a", 0, "put", "k", "v").ok(10)
                .invoke("a", 20, "cas", "k", "v", null).ok(30, true)
                .invoke("b", 40, "cas", "k", null, "w").ok(50, true)
                .invoke("b", 60, "get", "k").ok(70, "w")
                .build();
        assertThat(check(h).verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void failedPutOnOneKeyDoesNotLeakIntoAnother() {
        History h = History.builder()
                .invoke("a", 0, "put", "x", 1).failed(10)
                .invoke("b", 20, "get", "x").ok(30, null)
                .invoke("b", 40, "get", "y").ok(50, 1)
                .build();
        assertThat(check(h).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(check(h).problems()).extracting(PartitionResult::partition).containsExactly("key \"y\"");
    }
}
