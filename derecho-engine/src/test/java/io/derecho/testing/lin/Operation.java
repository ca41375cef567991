package io.derecho.testing.lin;

import java.util.List;
import java.util.Objects;

/**
 * One operation of a history, as its client saw it: invoked at {@code invokeNanos}, answered (or given up on)
 * at {@code responseNanos}, with an {@link Outcome} and, when OK, a result. Times are from one clock shared by
 * all clients of the history (see {@link History} for clocks across processes).
 *
 * <p>Arguments and results are {@code null} (nil), {@code Long}, {@code String} or {@code Boolean}; integers are
 * widened to {@code Long}. The result of a FAILED or UNKNOWN operation is always {@code null} and carries no
 * meaning. An UNKNOWN operation's {@code responseNanos} is only when the client gave up ({@link Long#MAX_VALUE}
 * if it never did); the checker lets it take effect at any time after its invocation, or never.
 *
 * @param id position of the operation in its {@link History} (ordered by invocation time)
 * @param client who issued it, a whitespace-free name such as {@code "p2/c7"}
 * @param kind the operation's name in its {@link Model}, such as {@code "write"} or {@code "cas"}
 */
public record Operation(int id, String client, String kind, List<Object> args, long invokeNanos, long responseNanos,
                        Outcome outcome, Object result) {

    public Operation {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        if (!Values.isToken(client)) {
            throw new IllegalArgumentException("client '" + client + "' must be non-empty and without whitespace");
        }
        if (!Values.isToken(kind)) {
            throw new IllegalArgumentException("kind '" + kind + "' must be non-empty and without whitespace");
        }
        args = Values.normalizeAll(args);
        result = Values.normalize(result);
        if (outcome != Outcome.OK && result != null) {
            throw new IllegalArgumentException("a " + outcome + " operation has no result, got " + result);
        }
        if (responseNanos < invokeNanos) {
            throw new IllegalArgumentException("operation " + client + " " + kind + " responds at " + responseNanos
                    + ", before its invocation at " + invokeNanos);
        }
    }

    /** The argument at {@code index}; models use it to read their inputs. */
    public Object arg(int index) {
        if (index >= args.size()) {
            throw new IllegalArgumentException("operation " + this + " has no argument " + index);
        }
        return args.get(index);
    }

    /** The same operation at another position, used when histories are sorted or merged. */
    public Operation withId(int newId) {
        return new Operation(newId, client, kind, args, invokeNanos, responseNanos, outcome, result);
    }

    /** The same operation returning another value, used to build impossible histories in tests. */
    public Operation withResult(Object newResult) {
        return new Operation(id, client, kind, args, invokeNanos, responseNanos, outcome, newResult);
    }

    /** Time by which the operation must have taken effect, if it took effect at all. */
    long deadlineNanos() {
        return outcome == Outcome.OK ? responseNanos : Long.MAX_VALUE;
    }

    /** Like {@link #toString()}, with times relative to {@code originNanos} (the history's first invocation). */
    public String describe(long originNanos) {
        String interval = "[" + (invokeNanos - originNanos) + ", "
                + (outcome == Outcome.UNKNOWN ? "inf" : Long.toString(responseNanos - originNanos)) + "]";
        String what = switch (outcome) {
            case OK -> " -> " + Values.format(result);
            case FAILED -> " FAILED";
            case UNKNOWN -> " -> ? (unknown"
                    + (responseNanos == Long.MAX_VALUE ? "" : ", gave up at " + (responseNanos - originNanos)) + ")";
        };
        return "#" + id + " " + client + " " + kind + Values.formatArgs(args) + what + " " + interval;
    }

    @Override
    public String toString() {
        return describe(0);
    }
}
