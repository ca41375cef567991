package io.derecho.testing.lin;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds hand-made histories for tests, one operation at a time:
 *
 * <pre>{@code
 * History h = History.builder()
 *         .invoke("a", 0, "write", 1).ok(10)
 *         .invoke("b", 5, "read").ok(15, 1)
 *         .invoke("c", 20, "write", 2).unknown()
 *         .invoke("d", 21, "write", 3).failed(25)
 *         .build();
 * }</pre>
 */
public final class HistoryBuilder {
    private final List<Operation> operations = new ArrayList<>();

    HistoryBuilder() {
    }

    /** Starts an operation of {@code client} invoked at {@code invokeNanos}; finish it with an outcome. */
    public Pending invoke(String client, long invokeNanos, String kind, Object... args) {
        return new Pending(client, invokeNanos, kind, Values.normalizeAll(args));
    }

    public HistoryBuilder add(Operation operation) {
        operations.add(operation);
        return this;
    }

    public History build() {
        return History.of(operations);
    }

    /** An invoked operation waiting for its outcome. */
    public final class Pending {
        private final String client;
        private final long invokeNanos;
        private final String kind;
        private final List<Object> args;

        private Pending(String client, long invokeNanos, String kind, List<Object> args) {
            this.client = client;
            this.invokeNanos = invokeNanos;
            this.kind = kind;
            this.args = args;
        }

        /** OK at {@code responseNanos}, returning nil (what writes return). */
        public HistoryBuilder ok(long responseNanos) {
            return ok(responseNanos, null);
        }

        /** OK at {@code responseNanos}, returning {@code result}. */
        public HistoryBuilder ok(long responseNanos, Object result) {
            return finish(responseNanos, Outcome.OK, result);
        }

        /** Definitely did not take effect; the client learned so at {@code responseNanos}. */
        public HistoryBuilder failed(long responseNanos) {
            return finish(responseNanos, Outcome.FAILED, null);
        }

        /** The client never learned the outcome. */
        public HistoryBuilder unknown() {
            return finish(Long.MAX_VALUE, Outcome.UNKNOWN, null);
        }

        /** The client gave up at {@code responseNanos} without learning the outcome. */
        public HistoryBuilder unknown(long responseNanos) {
            return finish(responseNanos, Outcome.UNKNOWN, null);
        }

        private HistoryBuilder finish(long responseNanos, Outcome outcome, Object result) {
            operations.add(new Operation(operations.size(), client, kind, args, invokeNanos, responseNanos, outcome,
                    result));
            return HistoryBuilder.this;
        }
    }
}
