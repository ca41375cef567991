package io.derecho.testing.lin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Histories from real sequential objects under simulated concurrent clients (see {@link SimulatedHistory}) must be
 * judged linearizable; the same histories with one result made impossible must be rejected. Each seed replays:
 * {@code -Dderecho.lin.seed=N} runs just that one, and a failing history is written under
 * {@code target/lin-histories/}.
 */
@Timeout(120)
class RandomHistoryLinearizabilityTest {
    private static final int SEEDS = 30;

    private static LongStream seeds() {
        String one = System.getProperty("derecho.lin.seed");
        return one != null ? LongStream.of(Long.parseLong(one)) : LongStream.range(0, SEEDS);
    }

    /** Small to moderate sizes, 1 to 16 clients, with failed and unknown operations. */
    private static SimulatedHistory.Settings settings(Random random) {
        int clients = 1 + random.nextInt(16);
        return new SimulatedHistory.Settings(clients, 20 + random.nextInt(300), 1 + random.nextInt(100),
                random.nextInt(30), random.nextDouble() * 0.05, random.nextDouble() * 0.05);
    }

    @Test
    void registerHistoriesOfACorrectRegisterAreLinearizableAndImpossibleReadsAreRejected() {
        AtomicInteger stale = new AtomicInteger();
        AtomicInteger future = new AtomicInteger();
        AtomicInteger inversion = new AtomicInteger();
        seeds().forEach(seed -> {
            Random random = new Random(seed);
            History h = SimulatedHistory.generate(random, settings(random), Workloads.register(),
                    Workloads.registerObject());
            expect(Verdict.LINEARIZABLE, new RegisterModel(), h, "register-correct", seed);
            Mutations.Slot register = new Mutations.Slot(o -> "the register", "read", Set.of("write"), o -> o.arg(0));
            // Written values are positive and unique: no correct register ever returns -1...
            Operation read = pick(random, h, o -> o.kind().equals("read"));
            if (read != null) {
                expect(Verdict.NOT_LINEARIZABLE, new RegisterModel(), h.replace(read.withResult(-1L)),
                        "register-never-written", seed);
            }
            // ...nor a value overwritten before the read began, nor one written only after the read returned (the
            // register model rules these out before any search).
            stale.addAndGet(expectRejected(new RegisterModel(), Mutations.staleRead(random, h, register),
                    "register-stale-read", seed));
            future.addAndGet(expectRejected(new RegisterModel(), Mutations.readFromTheFuture(random, h, register),
                    "register-future-read", seed));
            // An older value after another read saw a newer one needs the search to refute.
            inversion.addAndGet(expectRejected(new RegisterModel(),
                    Mutations.newOldInversionAt(random.nextDouble(), h, register, new RegisterModel()),
                    "register-new-old-inversion", seed));
        });
        assertMostSeedsTried(stale, "stale read");
        assertMostSeedsTried(future, "read from the future");
        assertMostSeedsTried(inversion, "new-old inversion");
    }

    @Test
    void counterHistoriesOfACorrectCounterAreLinearizableAndImpossibleResultsAreRejected() {
        AtomicInteger stale = new AtomicInteger();
        seeds().forEach(seed -> {
            Random random = new Random(seed);
            History h = SimulatedHistory.generate(random, settings(random), Workloads.counter(5),
                    Workloads.counterObject());
            expect(Verdict.LINEARIZABLE, new CounterModel(), h, "counter-correct", seed);
            // Deltas are positive, so the counter never goes below 0...
            Operation any = pick(random, h, o -> true);
            if (any != null) {
                expect(Verdict.NOT_LINEARIZABLE, new CounterModel(), h.replace(any.withResult(-1L)),
                        "counter-negative", seed);
            }
            // ...values after adds strictly increase, so two adds never return the same value (a lost update)...
            Operation first = pick(random, h, o -> o.kind().equals("add"));
            Operation second = pick(random, h, o -> o.kind().equals("add") && o != first);
            if (first != null && second != null) {
                assertThat((Long) first.arg(0)).isPositive();
                expect(Verdict.NOT_LINEARIZABLE, new CounterModel(), h.replace(second.withResult(first.result())),
                        "counter-lost-update", seed);
            }
            // ...and a get never returns what an add returned before another add completed ahead of the get.
            Mutations.Slot counter = new Mutations.Slot(o -> "the counter", "get", Set.of("add"), Operation::result);
            stale.addAndGet(expectRejected(new CounterModel(), Mutations.staleRead(random, h, counter),
                    "counter-stale-get", seed));
        });
        assertMostSeedsTried(stale, "stale get");
    }

    @Test
    void mapHistoriesOfACorrectMapAreLinearizableAndImpossibleGetsAreRejected() {
        AtomicInteger stale = new AtomicInteger();
        AtomicInteger future = new AtomicInteger();
        seeds().forEach(seed -> {
            Random random = new Random(seed);
            History h = SimulatedHistory.generate(random, settings(random), Workloads.kvMap(1 + random.nextInt(6)),
                    Workloads.kvMapObject());
            expect(Verdict.LINEARIZABLE, new KvMapModel(), h, "map-correct", seed);
            Operation get = pick(random, h, o -> o.kind().equals("get"));
            if (get != null) {
                History impossible = h.replace(get.withResult(-1L));
                CheckResult r = expect(Verdict.NOT_LINEARIZABLE, new KvMapModel(), impossible, "map-never-written",
                        seed);
                assertThat(r.problems()).extracting(PartitionResult::partition)
                        .containsExactly("key " + Values.format(get.arg(0)));
            }
            Mutations.Slot key = new Mutations.Slot(o -> o.arg(0), "get", Set.of("put", "delete"),
                    o -> o.kind().equals("put") ? o.arg(1) : null);
            stale.addAndGet(expectRejected(new KvMapModel(), Mutations.staleRead(random, h, key), "map-stale-get",
                    seed));
            future.addAndGet(expectRejected(new KvMapModel(), Mutations.readFromTheFuture(random, h, key),
                    "map-future-get", seed));
        });
        assertMostSeedsTried(stale, "stale get");
        assertMostSeedsTried(future, "get from the future");
    }

    /** Checks the impossible history if there is one; returns 1 if there was, to count the cases tried. */
    private static int expectRejected(Model<?> model, History impossible, String name, long seed) {
        if (impossible == null) {
            return 0;
        }
        expect(Verdict.NOT_LINEARIZABLE, model, impossible, name, seed);
        return 1;
    }

    /** With all seeds, most histories must have offered the mutation, or the test proves little. */
    private static void assertMostSeedsTried(AtomicInteger tried, String what) {
        if (System.getProperty("derecho.lin.seed") == null) {
            assertThat(tried.get()).as("seeds with a %s to try", what).isGreaterThan(SEEDS / 2);
        }
    }

    @Test
    void splittingAMapByKeyGivesTheVerdictOfTheWholeMapSearch() {
        KvMapModel map = new KvMapModel();
        Model<Map<Object, Object>> wholeMap = new Model<>() { // the same map, searched as one object
            @Override
            public String name() {
                return "whole map";
            }

            @Override
            public Map<Object, Object> initialState() {
                return map.initialState();
            }

            @Override
            public Map<Object, Object> step(Map<Object, Object> state, Operation op) {
                return map.step(state, op);
            }

            @Override
            public boolean isReadOnly(Operation op) {
                return map.isReadOnly(op);
            }
        };
        seeds().limit(15).forEach(seed -> {
            Random random = new Random(seed);
            SimulatedHistory.Settings small = new SimulatedHistory.Settings(1 + random.nextInt(4),
                    10 + random.nextInt(60), 1 + random.nextInt(50), random.nextInt(20), 0.03, 0.03);
            History h = SimulatedHistory.generate(random, small, Workloads.kvMap(3), Workloads.kvMapObject());
            Operation get = pick(random, h, o -> o.kind().equals("get"));
            for (History variant : get == null ? List.of(h) : List.of(h, h.replace(get.withResult(-1L)))) {
                Verdict byKey = LinearizabilityChecker.check(new KvMapModel(), variant).verdict();
                Verdict whole = LinearizabilityChecker.check(wholeMap, variant).verdict();
                assertThat(byKey).as("seed %d", seed).isEqualTo(whole).isNotEqualTo(Verdict.UNKNOWN);
            }
        });
    }

    @Test
    void registerServedByALaggingReplicaIsCaught() {
        seeds().limit(10).forEach(seed -> {
            Random random = new Random(seed);
            SimulatedHistory.Settings settings = new SimulatedHistory.Settings(4, 300, 50, 10, 0, 0);
            History h = SimulatedHistory.generate(random, settings, Workloads.writesAndReads(),
                    Workloads.laggingReplicaRegister(200));
            expect(Verdict.NOT_LINEARIZABLE, new RegisterModel(), h, "register-lagging-replica", seed);
        });
    }

    @Test
    void thousandsOfOperationsFromSixteenClientsAreCheckedWithinTheDefaultBudget() {
        Random random = new Random(7);
        SimulatedHistory.Settings busy = new SimulatedHistory.Settings(16, 3000, 100, 20, 0.02, 0.02);
        expect(Verdict.LINEARIZABLE, new RegisterModel(),
                SimulatedHistory.generate(random, busy, Workloads.register(), Workloads.registerObject()),
                "large-register", 7);
        expect(Verdict.LINEARIZABLE, new CounterModel(),
                SimulatedHistory.generate(random, busy, Workloads.counter(5), Workloads.counterObject()),
                "large-counter", 7);
        SimulatedHistory.Settings busyMap = new SimulatedHistory.Settings(16, 24_000, 100, 20, 0.02, 0.02);
        expect(Verdict.LINEARIZABLE, new KvMapModel(),
                SimulatedHistory.generate(random, busyMap, Workloads.kvMap(8), Workloads.kvMapObject()),
                "large-map", 7);
    }

    private static Operation pick(Random random, History h, Predicate<Operation> which) {
        List<Operation> candidates = h.operations().stream()
                .filter(o -> o.outcome() == Outcome.OK && which.test(o)).toList();
        return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
    }

    private static CheckResult expect(Verdict expected, Model<?> model, History h, String name, long seed) {
        CheckResult r = LinearizabilityChecker.check(model, h);
        if (r.verdict() != expected) {
            Path file = Path.of("target", "lin-histories", name + "-seed-" + seed + ".history");
            try {
                h.write(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            fail("%s seed %d: expected %s, got %s (history in %s; replay with -Dderecho.lin.seed=%d)%n%s", name,
                    seed, expected, r.verdict(), file.toAbsolutePath(), seed, r.explain());
        }
        return r;
    }
}
