package io.derecho.testing.lin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * The Wing-Gong-Lowe search over one partition, a depth-first search for a legal order of the operations.
 *
 * <p>Invocations and responses of OK operations form one doubly linked list in time order (invocations before
 * responses at equal times, so touching intervals count as concurrent). In a configuration, the invocations
 * before the first response in the list are the operations that may take effect next; linearizing one unlinks
 * its invocation and response, and undoing it links them back (dancing links). Reaching a response means that
 * operation was not linearized in time, a dead end: undo the last choice and try the next candidate.
 *
 * <p>UNKNOWN operations have no response, so they may take effect at any point after their invocation, or
 * never. They sit in a second list and are tried only after every OK candidate, so the search does not commit
 * to them eagerly.
 *
 * <p>Reductions keep the search small; each is exact (it never changes the verdict):
 * <ul>
 *   <li>Memoization with dominance: every configuration (OK operations linearized, state, UNKNOWN operations
 *       linearized) expanded is remembered, and a configuration is skipped when one with the same OK set and
 *       state and a subset of its UNKNOWN operations was expanded already: whatever the larger one can do, the
 *       smaller one can too, since an UNKNOWN operation is never required and blocks nothing.</li>
 *   <li>Forced no-ops: an OK operation the model calls {@linkplain Model#isReadOnly read-only} that is legal now
 *       is placed now, without alternatives: moving a legal no-op earlier changes no result and breaks no
 *       real-time order. So if the configuration after it fails, the one before it fails too. UNKNOWN no-ops
 *       are left out altogether.</li>
 *   <li>Identical UNKNOWN operations (same kind and arguments) are interchangeable once both may take effect,
 *       so only the earliest invoked one not yet applied is tried.</li>
 *   <li>An UNKNOWN operation that, applied right after another UNKNOWN one, leads to the state it would lead to
 *       without it (a write over a write) is not tried there: the configuration without the first is tried
 *       anyway and dominates.</li>
 *   <li>Hopeless operations: the model may say an OK operation can be legal in no state reachable from the
 *       current one ({@link Model#isHopeless}: a counter that only grows is past the value an add or get saw; a
 *       register read that real-time order alone rules out). Such a configuration is dropped at once, and if
 *       the initial state already is one, the history is rejected before any search.</li>
 * </ul>
 *
 * <p>What remains is exponential in the worst case (the problem is NP-complete): a violation the models cannot
 * see statically makes the search visit every reachable configuration before it, a few hundred per operation
 * for a register with 16 busy clients. The {@link Budget} bounds it.
 */
final class WglSearch<S> {
    private static final int CLOCK_CHECK_MASK = 1023;
    private static final int MAX_UNKNOWN_EXPLAINED = 16;

    private final Model<S> model;
    private final int operationCount;
    private final Operation[] okOps;
    private final boolean[] okReadOnly;
    private final Operation[] unknownOps;
    private final long deadlineNanos;
    private final long maxStates;

    private final Node head = new Node(-1, true);
    private final Node[] callNodes;
    private final UnknownNode unknownHead = new UnknownNode(-1);
    private final UnknownNode[] unknownNodes;
    /** UNKNOWN operations with the same kind and arguments form a class, tried in invocation order only. */
    private final int[] unknownClass;
    private final int[][] classMembers;
    private final int[] classApplied;
    private final long[] okBits;
    private final long[] unknownBits;
    private final DominanceMemo memo = new DominanceMemo();

    // The search position.
    private S state;
    private int depth;
    private int okRemaining;
    private final int[] frameOp;
    private final Object[] frameState;
    private final boolean[] frameForced;
    private boolean unknownPhase;
    private Node cursor;
    private UnknownNode unknownCursor;
    private Node firstResponse;

    // Deepest dead end, captured when the search first has to backtrack from there.
    private int bestDepth = -1;
    private List<Operation> bestPrefix = List.of();
    private String bestState;
    private List<PartitionResult.Unplaced> bestUnplaced = List.of();
    private Operation bestOverdue;

    private static final class Node {
        final int op;
        final boolean call;
        Node prev;
        Node next;
        Node match;

        Node(int op, boolean call) {
            this.op = op;
            this.call = call;
        }
    }

    private static final class UnknownNode {
        final int op;
        UnknownNode prev;
        UnknownNode next;

        UnknownNode(int op) {
            this.op = op;
        }
    }

    WglSearch(Model<S> model, List<Operation> operations, long deadlineNanos, long maxStates) {
        this.model = model;
        this.operationCount = operations.size();
        this.deadlineNanos = deadlineNanos;
        this.maxStates = maxStates;
        List<Operation> ok = new ArrayList<>();
        List<Operation> unknown = new ArrayList<>();
        for (Operation op : operations) {
            if (op.outcome() == Outcome.OK) {
                ok.add(op);
            } else if (op.outcome() == Outcome.UNKNOWN && !model.isReadOnly(op)) {
                unknown.add(op); // an UNKNOWN no-op can be left out: it may simply never take effect
            }
        }
        okOps = ok.toArray(Operation[]::new);
        unknownOps = unknown.toArray(Operation[]::new);
        okReadOnly = new boolean[okOps.length];
        for (int i = 0; i < okOps.length; i++) {
            okReadOnly[i] = model.isReadOnly(okOps[i]);
        }
        unknownClass = new int[unknownOps.length];
        HashMap<List<Object>, Integer> classes = new HashMap<>();
        List<List<Integer>> members = new ArrayList<>();
        for (int j = 0; j < unknownOps.length; j++) {
            List<Object> signature = new ArrayList<>(unknownOps[j].args());
            signature.add(0, unknownOps[j].kind());
            int c = classes.computeIfAbsent(signature, k -> {
                members.add(new ArrayList<>());
                return members.size() - 1;
            });
            unknownClass[j] = c;
            members.get(c).add(j);
        }
        classMembers = members.stream().map(m -> m.stream().mapToInt(Integer::intValue).toArray())
                .toArray(int[][]::new);
        classApplied = new int[classMembers.length];
        callNodes = new Node[okOps.length];
        unknownNodes = new UnknownNode[unknownOps.length];
        okBits = new long[(okOps.length + 63) >>> 6];
        unknownBits = new long[(unknownOps.length + 63) >>> 6];
        int stack = okOps.length + unknownOps.length;
        frameOp = new int[stack];
        frameState = new Object[stack];
        frameForced = new boolean[stack];
        buildLists();
    }

    private void buildLists() {
        List<Node> events = new ArrayList<>(2 * okOps.length);
        for (int i = 0; i < okOps.length; i++) {
            Node call = new Node(i, true);
            Node ret = new Node(i, false);
            call.match = ret;
            callNodes[i] = call;
            events.add(call);
            events.add(ret);
        }
        events.sort((a, b) -> {
            int c = Long.compare(time(a), time(b));
            if (c != 0) {
                return c;
            }
            if (a.call != b.call) {
                return a.call ? -1 : 1;
            }
            return Integer.compare(a.op, b.op);
        });
        Node prev = head;
        for (Node n : events) {
            prev.next = n;
            n.prev = prev;
            prev = n;
        }
        UnknownNode uPrev = unknownHead;
        for (int j = 0; j < unknownOps.length; j++) { // already in invocation order
            UnknownNode u = new UnknownNode(j);
            unknownNodes[j] = u;
            uPrev.next = u;
            u.prev = uPrev;
            uPrev = u;
        }
    }

    private long time(Node n) {
        return n.call ? okOps[n.op].invokeNanos() : okOps[n.op].responseNanos();
    }

    PartitionResult run(String label) {
        state = model.initialState();
        for (Operation op : okOps) {
            if (model.isHopeless(state, op)) {
                String reason = "can never take effect: " + model.whyHopeless(state, op);
                return new PartitionResult(label, Verdict.NOT_LINEARIZABLE, operationCount, 0, List.of(),
                        model.describe(state), List.of(new PartitionResult.Unplaced(op, reason)), op);
            }
        }
        okRemaining = okOps.length;
        boolean fresh = true;
        long iterations = 0;
        while (okRemaining > 0) {
            if ((++iterations & CLOCK_CHECK_MASK) == 0 && System.nanoTime() - deadlineNanos > 0) {
                return unknownVerdict(label);
            }
            if (memo.size() >= maxStates) {
                return unknownVerdict(label);
            }
            if (fresh) {
                fresh = false;
                Node hopeless = hopelessCandidate();
                if (hopeless != null) {
                    if (depth > bestDepth) {
                        capture(hopeless);
                    }
                    if (!backtrack()) {
                        return notLinearizable(label);
                    }
                    continue;
                }
                Node forced = legalReadOnlyCandidate();
                if (forced != null) {
                    S next = model.step(state, okOps[forced.op]);
                    if (tryOk(forced, next, true)) {
                        fresh = true;
                    } else if (!backtrack()) { // the configuration after the no-op failed, so this one fails
                        return notLinearizable(label);
                    }
                    continue;
                }
                unknownPhase = false;
                cursor = head.next;
            }
            if (!unknownPhase) {
                if (cursor.call) {
                    int i = cursor.op;
                    if (!okReadOnly[i]) { // a read-only candidate here is illegal, or it would have been forced
                        S next = model.step(state, okOps[i]);
                        if (next != null && tryOk(cursor, next, false)) {
                            fresh = true;
                            continue;
                        }
                    }
                    cursor = cursor.next;
                    continue;
                }
                firstResponse = cursor;
                unknownPhase = true;
                unknownCursor = unknownHead.next;
                continue;
            }
            if (unknownCursor != null && unknownOps[unknownCursor.op].invokeNanos() <= time(firstResponse)) {
                int j = unknownCursor.op;
                S next = firstOfItsClass(j) ? model.step(state, unknownOps[j]) : null;
                if (next != null && !overridesPreviousUnknown(j, next) && tryUnknown(unknownCursor, next)) {
                    fresh = true;
                    continue;
                }
                unknownCursor = unknownCursor.next;
                continue;
            }
            // Nothing fits before the first pending response: a dead end.
            if (depth > bestDepth) {
                capture(firstResponse);
            }
            if (!backtrack()) {
                return notLinearizable(label);
            }
        }
        return new PartitionResult(label, Verdict.LINEARIZABLE, operationCount, memo.size(), prefix(),
                model.describe(state), List.of(), null);
    }

    /**
     * Whether {@code j} is the first UNKNOWN operation of its class not yet applied. Identical UNKNOWN operations
     * that may both take effect now are interchangeable from then on (neither has a deadline), so applying the
     * earliest invoked one stands for all: the applied members of a class are always a prefix of it.
     */
    private boolean firstOfItsClass(int j) {
        int c = unknownClass[j];
        return classMembers[c][classApplied[c]] == j;
    }

    /**
     * Whether the UNKNOWN operation {@code j}, applied right after another UNKNOWN operation u, reaches the state it
     * would reach without u (a write over a write). The configuration with u is then dominated by the one without
     * it, which is, or will be, tried from the configuration before u, as the horizon of UNKNOWN candidates is the
     * same there.
     */
    private boolean overridesPreviousUnknown(int j, S next) {
        if (depth == 0 || frameOp[depth - 1] >= 0) {
            return false;
        }
        @SuppressWarnings("unchecked")
        S beforePrevious = (S) frameState[depth - 1];
        return next.equals(model.step(beforePrevious, unknownOps[j]));
    }

    /** An OK candidate the model says can never take effect from here on, or null. */
    private Node hopelessCandidate() {
        for (Node n = head.next; n != null && n.call; n = n.next) {
            if (model.isHopeless(state, okOps[n.op])) {
                return n;
            }
        }
        return null;
    }

    /** The first OK candidate that is a no-op and legal now, or null. */
    private Node legalReadOnlyCandidate() {
        for (Node n = head.next; n != null && n.call; n = n.next) {
            if (okReadOnly[n.op] && model.step(state, okOps[n.op]) != null) {
                return n;
            }
        }
        return null;
    }

    private boolean tryOk(Node call, S next, boolean forced) {
        int i = call.op;
        set(okBits, i);
        if (!memo.remember(okBits, unknownBits, next)) {
            clear(okBits, i);
            return false;
        }
        push(i, forced);
        state = next;
        unlink(call);
        unlink(call.match);
        okRemaining--;
        return true;
    }

    private boolean tryUnknown(UnknownNode u, S next) {
        int j = u.op;
        set(unknownBits, j);
        if (!memo.remember(okBits, unknownBits, next)) {
            clear(unknownBits, j);
            return false;
        }
        push(~j, false);
        classApplied[unknownClass[j]]++;
        state = next;
        u.prev.next = u.next;
        if (u.next != null) {
            u.next.prev = u.prev;
        }
        return true;
    }

    private void push(int encodedOp, boolean forced) {
        frameOp[depth] = encodedOp;
        frameState[depth] = state;
        frameForced[depth] = forced;
        depth++;
    }

    /**
     * Undoes choices until one leaves alternatives to try, and positions the cursor on the next alternative.
     * False when there is nothing left to undo: no linearization exists.
     */
    private boolean backtrack() {
        while (depth > 0) {
            depth--;
            @SuppressWarnings("unchecked")
            S previous = (S) frameState[depth];
            state = previous;
            frameState[depth] = null;
            int encoded = frameOp[depth];
            if (encoded >= 0) {
                clear(okBits, encoded);
                Node call = callNodes[encoded];
                relink(call.match); // in reverse order of unlinking
                relink(call);
                okRemaining++;
                if (frameForced[depth]) {
                    continue;
                }
                unknownPhase = false;
                cursor = call.next;
            } else {
                int j = ~encoded;
                clear(unknownBits, j);
                classApplied[unknownClass[j]]--;
                UnknownNode u = unknownNodes[j];
                u.prev.next = u;
                if (u.next != null) {
                    u.next.prev = u;
                }
                unknownPhase = true;
                unknownCursor = u.next;
                firstResponse = head.next;
                while (firstResponse.call) {
                    firstResponse = firstResponse.next;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * Records the deepest dead end: the prefix, the operation that can no longer take effect in time (the first
     * pending response, or an operation the model says is hopeless), and why nothing could follow.
     */
    private void capture(Node overdue) {
        bestDepth = depth;
        bestPrefix = prefix();
        bestState = model.describe(state);
        bestOverdue = okOps[overdue.op];
        Node first = head.next;
        while (first.call) {
            first = first.next;
        }
        List<PartitionResult.Unplaced> unplaced = new ArrayList<>();
        for (Node n = head.next; n != null && n.call; n = n.next) {
            unplaced.add(new PartitionResult.Unplaced(okOps[n.op], whyNot(okOps[n.op], okBits, n.op)));
        }
        long horizon = time(first);
        int listed = 0;
        for (UnknownNode u = unknownHead.next; u != null && unknownOps[u.op].invokeNanos() <= horizon
                && listed < MAX_UNKNOWN_EXPLAINED; u = u.next, listed++) {
            unplaced.add(new PartitionResult.Unplaced(unknownOps[u.op], whyNot(unknownOps[u.op], unknownBits, u.op)));
        }
        bestUnplaced = unplaced;
    }

    private String whyNot(Operation op, long[] bits, int index) {
        S next = model.step(state, op);
        if (next == null) {
            return model.whyIllegal(state, op);
        }
        set(bits, index);
        boolean explored = memo.isDominated(okBits, unknownBits, next);
        clear(bits, index);
        String becomes = "could take effect here (state becomes " + model.describe(next) + ")";
        return explored ? becomes + ", but every continuation from there fails" : becomes;
    }

    private PartitionResult unknownVerdict(String label) {
        if (depth > bestDepth) {
            bestPrefix = prefix();
            bestState = model.describe(state);
            bestUnplaced = List.of();
            bestOverdue = null;
        }
        return new PartitionResult(label, Verdict.UNKNOWN, operationCount, memo.size(), bestPrefix, bestState,
                bestUnplaced, bestOverdue);
    }

    private PartitionResult notLinearizable(String label) {
        return new PartitionResult(label, Verdict.NOT_LINEARIZABLE, operationCount, memo.size(), bestPrefix,
                bestState == null ? model.describe(model.initialState()) : bestState, bestUnplaced, bestOverdue);
    }

    private List<Operation> prefix() {
        List<Operation> prefix = new ArrayList<>(depth);
        for (int d = 0; d < depth; d++) {
            int encoded = frameOp[d];
            prefix.add(encoded >= 0 ? okOps[encoded] : unknownOps[~encoded]);
        }
        return prefix;
    }

    private static void set(long[] bits, int i) {
        bits[i >>> 6] |= 1L << i;
    }

    private static void clear(long[] bits, int i) {
        bits[i >>> 6] &= ~(1L << i);
    }

    private static void unlink(Node n) {
        n.prev.next = n.next;
        if (n.next != null) {
            n.next.prev = n.prev;
        }
    }

    private static void relink(Node n) {
        n.prev.next = n;
        if (n.next != null) {
            n.next.prev = n;
        }
    }
}
