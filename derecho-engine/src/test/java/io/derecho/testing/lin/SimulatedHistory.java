package io.derecho.testing.lin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Generates histories by running a real sequential object under simulated concurrent clients: each operation is
 * invoked, takes effect at one instant (its true linearization point) inside its interval, and returns what the
 * object returned then. Histories of a correct object are therefore linearizable by construction, and any
 * deviation of the object (a lagging replica) shows up as it would in a real run. Everything derives from the
 * seed of the {@link Random} given, so a failing history replays.
 *
 * <p>With probability {@code failedRate} an operation is rejected (never applied, FAILED); with probability
 * {@code unknownRate} its client gives up (UNKNOWN), and the operation is applied at a random later instant, maybe
 * after the client gave up, or never.
 */
final class SimulatedHistory {

    /** The object under test, applied at the linearization point {@code now}. */
    interface Target {
        Object apply(long now, String kind, List<Object> args);
    }

    /** Chooses the next operation of a client. */
    interface Workload {
        Invocation next(Random random, int client);
    }

    record Invocation(String kind, Object... args) {
    }

    record Settings(int clients, int operations, int maxLatency, int maxThink, double failedRate, double unknownRate) {
    }

    private static final int INVOKE = 0;
    private static final int EFFECT = 1;
    private static final int RESPOND = 2;

    private record Event(long time, long seq, int type, int op) {
    }

    private static final class Pending {
        final int client;
        final Invocation invocation;
        final long invoked;
        Outcome outcome;
        long responded;
        Object result;

        Pending(int client, Invocation invocation, long invoked) {
            this.client = client;
            this.invocation = invocation;
            this.invoked = invoked;
        }
    }

    private SimulatedHistory() {
    }

    static History generate(Random random, Settings s, Workload workload, Target target) {
        PriorityQueue<Event> queue = new PriorityQueue<>((a, b) -> a.time != b.time ? Long.compare(a.time, b.time)
                : Long.compare(a.seq, b.seq));
        List<Pending> pending = new ArrayList<>();
        long[] seq = {0};
        for (int c = 0; c < s.clients(); c++) {
            queue.add(new Event(random.nextInt(s.maxThink() + 1), seq[0]++, INVOKE, c));
        }
        int issued = 0;
        while (!queue.isEmpty()) {
            Event e = queue.poll();
            switch (e.type) {
                case INVOKE -> {
                    if (issued == s.operations()) {
                        continue;
                    }
                    issued++;
                    Pending p = new Pending(e.op, workload.next(random, e.op), e.time);
                    int id = pending.size();
                    pending.add(p);
                    double fate = random.nextDouble();
                    long effect = e.time + random.nextInt(s.maxLatency() + 1);
                    long response = effect + random.nextInt(s.maxLatency() + 1);
                    if (fate < s.failedRate()) {
                        p.outcome = Outcome.FAILED;
                    } else if (fate < s.failedRate() + s.unknownRate()) {
                        p.outcome = Outcome.UNKNOWN;
                        if (random.nextBoolean()) {
                            // Applied some time after invocation, quite possibly after the client gave up.
                            long late = e.time + random.nextInt(4 * s.maxLatency() + 1);
                            queue.add(new Event(late, seq[0]++, EFFECT, id));
                        }
                    } else {
                        p.outcome = Outcome.OK;
                        queue.add(new Event(effect, seq[0]++, EFFECT, id));
                    }
                    queue.add(new Event(response, seq[0]++, RESPOND, id));
                }
                case EFFECT -> {
                    Pending p = pending.get(e.op);
                    p.result = target.apply(e.time, p.invocation.kind(), Arrays.asList(p.invocation.args()));
                }
                case RESPOND -> {
                    Pending p = pending.get(e.op);
                    p.responded = e.time;
                    queue.add(new Event(e.time + random.nextInt(s.maxThink() + 1), seq[0]++, INVOKE, p.client));
                }
                default -> throw new IllegalStateException("event " + e);
            }
        }
        List<Operation> ops = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            ops.add(new Operation(ops.size(), "c" + p.client, p.invocation.kind(), Arrays.asList(p.invocation.args()),
                    p.invoked, p.responded, p.outcome, p.outcome == Outcome.OK ? p.result : null));
        }
        return History.of(ops);
    }
}
