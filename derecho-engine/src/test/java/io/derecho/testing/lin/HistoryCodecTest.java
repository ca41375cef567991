package io.derecho.testing.lin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history text format: exact bytes, round trips, merging files, rejecting malformed input. */
class HistoryCodecTest {

    private static History everyKindOfValue() {
        return History.builder()
                .invoke("p1/c0", 1000, "write", 5).ok(2000)
                .invoke("p1/c1", 1500, "read").ok(2600, 5)
                .invoke("p2/c0", 1700, "cas", 5, "six").unknown()
                .invoke("p2/c1", 1800, "write", 7).failed(1900)
                .invoke("p2/c2", 1850, "put", "a key with spaces", "ünïcødé\tand\nnewline").unknown(3000)
                .invoke("p3/c0", 1900, "cas", null, "nil").ok(2100, true)
                .invoke("p3/c1", 1950, "put", "-", "s:x").ok(2100, false)
                .invoke("p3/c2", -5, "add", Long.MIN_VALUE).ok(Long.MAX_VALUE - 1, Long.MAX_VALUE)
                .invoke("p3/c3", 2000, "put", "", "%20+").ok(2001)
                .build();
    }

    @Test
    void formatIsPinned() {
        History h = History.builder()
                .invoke("p1/c0", 1000, "write", 5).ok(2000)
                .invoke("p1/c1", 1500, "read").ok(2600, 5)
                .invoke("p2/c0", 1700, "cas", 5, "six").unknown()
                .invoke("p2/c1", 1800, "write", 7).failed(1900)
                .invoke("p2/c2", 1850, "put", "a b", true).unknown(3000)
                .build();
        assertThat(h.format()).isEqualTo("""
                derecho-lin-history 1
                # client kind outcome invokeNanos responseNanos result args...
                p1/c0 write OK 1000 2000 nil 5
                p1/c1 read OK 1500 2600 5
                p2/c0 cas UNKNOWN 1700 - - 5 s:six
                p2/c1 write FAILED 1800 1900 - 7
                p2/c2 put UNKNOWN 1850 3000 - s:a+b true
                """);
    }

    @Test
    void everyValueSurvivesARoundTripThroughAFile(@TempDir Path dir) throws IOException {
        History h = everyKindOfValue();
        Path file = dir.resolve("nested/one.history");
        h.write(file);
        History back = History.read(file);
        assertThat(back).isEqualTo(h);
        assertThat(back.operations()).extracting(Operation::args)
                .contains(Arrays.asList("a key with spaces", "ünïcødé\tand\nnewline"), Arrays.asList(null, "nil"));
        assertThat(Files.list(file.getParent())).containsExactly(file);
    }

    @Test
    void simulatedHistoriesSurviveARoundTrip() {
        for (long seed = 0; seed < 20; seed++) {
            Random random = new Random(seed);
            History h = SimulatedHistory.generate(random,
                    new SimulatedHistory.Settings(1 + random.nextInt(8), random.nextInt(200), 50, 10, 0.1, 0.1),
                    Workloads.kvMap(3), Workloads.kvMapObject());
            assertThat(History.parse(h.format())).as("seed %d", seed).isEqualTo(h);
        }
    }

    @Test
    void historiesOfSeveralProcessesMergeInInvocationOrder(@TempDir Path dir) throws IOException {
        HistoryRecorder first = new HistoryRecorder("p1/", new FakeClock(0, 10)::next);
        HistoryRecorder second = new HistoryRecorder("p2/", new FakeClock(5, 10)::next);
        long a = first.invoke("c0", "write", 1);   // 0
        long b = second.invoke("c0", "read");      // 5
        first.complete(a);                         // 10
        second.complete(b, 1);                     // 15
        long c = first.invoke("c0", "read");       // 20
        first.complete(c, 1);                      // 30
        first.history().write(dir.resolve("p1.history"));
        second.history().write(dir.resolve("p2.history"));

        History merged = History.merge(List.of(History.read(dir.resolve("p1.history")),
                History.read(dir.resolve("p2.history"))));

        assertThat(merged.operations()).extracting(o -> o.client() + " " + o.kind() + " " + o.invokeNanos())
                .containsExactly("p1/c0 write 0", "p2/c0 read 5", "p1/c0 read 20");
        assertThat(merged.operations()).extracting(Operation::id).containsExactly(0, 1, 2);
        assertThat(LinearizabilityChecker.check(new RegisterModel(), merged).verdict())
                .isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void malformedFilesAreRejectedWithLineAndReason() {
        String header = "derecho-lin-history 1\n";
        assertRejected("", "empty, expected the header 'derecho-lin-history 1'");
        assertRejected("# only a comment\n", "empty, expected the header");
        assertRejected("jepsen-history 1\n", "line 1: not a history file");
        assertRejected("derecho-lin-history 2\n", "line 1: unsupported history format version 2");
        assertRejected(header + "a write OK 1 2\n", "line 2: expected at least 6 fields");
        assertRejected(header + "\n# c\na write DONE 1 2 nil 5\n", "line 4: bad outcome 'DONE'");
        assertRejected(header + "a write OK x 2 nil 5\n", "line 2: bad invokeNanos 'x'");
        assertRejected(header + "a write OK 1 - nil 5\n", "line 2: a OK operation needs a response time");
        assertRejected(header + "a write FAILED 1 2 nil 5\n", "line 2: a FAILED operation has no result");
        assertRejected(header + "a read OK 1 2 maybe\n", "line 2: bad value token 'maybe'");
        assertRejected(header + "a read OK 1 2 s:%zz\n", "line 2:");
        assertRejected(header + "a read OK 5 2 nil\n", "line 2: operation a read responds at 2, before its invocation");
    }

    private static void assertRejected(String text, String message) {
        assertThatThrownBy(() -> History.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    /** A clock that advances by a fixed step on each reading. */
    static final class FakeClock {
        private long next;
        private final long step;

        FakeClock(long start, long step) {
            this.next = start;
            this.step = step;
        }

        synchronized long next() {
            long now = next;
            next += step;
            return now;
        }
    }
}
