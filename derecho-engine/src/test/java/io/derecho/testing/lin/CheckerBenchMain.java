package io.derecho.testing.lin;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Measures the checker on simulated histories of busy clients: a correct history, and the same with one impossible
 * read: of a value never written, of a value overwritten before the read began, of a value written only after the
 * read returned (all three refuted before any search for registers and maps), and an older value after another
 * read saw a newer one (a new-old inversion, refuted by the search), a quarter, half and nine tenths of the way
 * through. A violation the search must find is the expensive case,
 * the more so the later it comes: the search first exhausts every configuration before it. A program, not a test; after
 * {@code ./mvnw -o -q -pl derecho-engine test-compile}:
 *
 * <pre>
 * java -Xmx1g -cp derecho-engine/target/test-classes io.derecho.testing.lin.CheckerBenchMain \
 *     [opsPerKey=4000] [clients=16] [failedRate=0.02] [unknownRate=0.02] [seed=42]
 * </pre>
 *
 * Prints, per history, the verdict, the configurations explored, wall-clock and CPU time of the check.
 */
public final class CheckerBenchMain {
    private CheckerBenchMain() {
    }

    public static void main(String[] args) {
        int ops = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        double failedRate = args.length > 2 ? Double.parseDouble(args[2]) : 0.02;
        double unknownRate = args.length > 3 ? Double.parseDouble(args[3]) : 0.02;
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 42;
        System.out.printf("%d ops per key, %d clients, %.3f failed, %.3f unknown, seed %d; %d cores, max heap %d MiB%n",
                ops, clients, failedRate, unknownRate, seed, Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        SimulatedHistory.Settings one = new SimulatedHistory.Settings(clients, ops, 100, 20, failedRate, unknownRate);
        SimulatedHistory.Settings eight = new SimulatedHistory.Settings(clients, 8 * ops, 100, 20, failedRate,
                unknownRate);
        Mutations.Slot register = new Mutations.Slot(o -> "", "read", Set.of("write"), o -> o.arg(0));
        Mutations.Slot counter = new Mutations.Slot(o -> "", "get", Set.of("add"), Operation::result);
        Mutations.Slot key = new Mutations.Slot(o -> o.arg(0), "get", Set.of("put", "delete"),
                o -> o.kind().equals("put") ? o.arg(1) : null);
        run("register", new RegisterModel(), register, SimulatedHistory.generate(new Random(seed), one,
                Workloads.register(), Workloads.registerObject()));
        run("counter+1", new CounterModel(), counter, SimulatedHistory.generate(new Random(seed), one,
                Workloads.counter(1), Workloads.counterObject()));
        run("counter+1..5", new CounterModel(), counter, SimulatedHistory.generate(new Random(seed), one,
                Workloads.counter(5), Workloads.counterObject()));
        run("map/8 keys", new KvMapModel(), key, SimulatedHistory.generate(new Random(seed), eight,
                Workloads.kvMap(8), Workloads.kvMapObject()));
    }

    private static void run(String name, Model<?> model, Mutations.Slot slot, History h) {
        report(name, "correct", h, model);
        List<Operation> reads = h.operations().stream().filter(slot::reads).toList();
        Operation victim = reads.get(reads.size() / 2);
        report(name, "never-written read #" + victim.id(), h.replace(victim.withResult(-1L)), model);
        for (double at : new double[] {0.25, 0.5, 0.9}) {
            History stale = Mutations.staleReadAt(at, h, slot);
            if (stale != null) {
                report(name, "stale read at " + (int) (at * 100) + "%", stale, model);
            }
        }
        for (double at : new double[] {0.25, 0.5, 0.9}) {
            History future = Mutations.readFromTheFutureAt(at, h, slot);
            if (future != null) {
                report(name, "future read at " + (int) (at * 100) + "%", future, model);
            }
        }
        for (double at : new double[] {0.25, 0.5, 0.9}) {
            History inversion = Mutations.newOldInversionAt(at, h, slot, model);
            if (inversion != null) {
                report(name, "new-old inversion at " + (int) (at * 100) + "%", inversion, model);
            }
        }
    }

    private static void report(String name, String what, History h, Model<?> model) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu = threads.getCurrentThreadCpuTime();
        CheckResult r = LinearizabilityChecker.check(model, h);
        cpu = threads.getCurrentThreadCpuTime() - cpu;
        System.out.printf("%-12s %-29s %6d ops %2d parts: %-16s %9d states %8.1f ms (cpu %8.1f ms)%n", name, what,
                h.size(), r.partitions().size(), r.verdict(), r.statesExplored(), r.elapsedNanos() / 1e6, cpu / 1e6);
    }
}
