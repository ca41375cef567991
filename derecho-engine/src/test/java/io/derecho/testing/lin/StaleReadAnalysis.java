package io.derecho.testing.lin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds, without any search, reads of a register (or of one key of a map) that no linearization can explain: every
 * operation that may have stored the value read was either invoked after the read responded, or surely overwritten
 * by an OK store that itself responded before the read was invoked. Real-time order then puts store, overwrite and
 * read in that order, and whichever store of the value comes last before the read is overwritten before it. This
 * catches the common stale read, and reads of values never written or written too late, at once, where the search
 * would first have to exhaust every configuration before the read.
 */
final class StaleReadAnalysis {
    /** An operation that stores {@code value}; {@code definite} when it surely took effect (OK). */
    record Store(Operation op, Object value, boolean definite) {
    }

    /** An OK operation that observed {@code value} as the current one (a read, a successful compare-and-set). */
    record Observation(Operation op, Object value) {
    }

    private StaleReadAnalysis() {
    }

    /** The impossible observations, each with the reason, in the order given. */
    static Map<Operation, String> impossible(Object initialValue, List<Store> stores, List<Observation> observations) {
        List<Store> overwrites = new ArrayList<>();
        for (Store s : stores) {
            if (s.definite()) {
                overwrites.add(s);
            }
        }
        overwrites.sort(Comparator.comparingLong(s -> s.op().invokeNanos()));
        int n = overwrites.size();
        long[] invokes = new long[n];
        for (int i = 0; i < n; i++) {
            invokes[i] = overwrites.get(i).op().invokeNanos();
        }
        // Over each suffix (by invocation), the overwrite that responds first. It may store the very value it
        // overwrites; that is harmless, as it is then itself a store of the value and outlives the one it ends.
        int[] best = new int[n + 1];
        best[n] = -1;
        for (int i = n - 1; i >= 0; i--) {
            boolean laterIsBetter = best[i + 1] >= 0
                    && response(overwrites, best[i + 1]) <= response(overwrites, i);
            best[i] = laterIsBetter ? best[i + 1] : i;
        }

        // Per value, its stores by invocation, each with what surely overwrote it (null: nothing surely did).
        Map<Object, List<Lifetime>> byValue = new HashMap<>();
        List<Store> all = new ArrayList<>(stores.size() + 1);
        all.add(null); // the initial value, stored before everything
        all.addAll(stores);
        for (Store s : all) {
            Object value = s == null ? initialValue : s.value();
            Store overwrite = null;
            if (s == null || s.definite()) {
                long after = s == null ? Long.MIN_VALUE : s.op().responseNanos();
                overwrite = overwriteAfter(after, invokes, overwrites, best);
            }
            byValue.computeIfAbsent(value, v -> new ArrayList<>()).add(new Lifetime(s, overwrite));
        }
        Map<Object, Lifetimes> lifetimes = new HashMap<>();
        byValue.forEach((value, list) -> lifetimes.put(value, new Lifetimes(list)));

        Map<Operation, String> impossible = new LinkedHashMap<>();
        for (Observation o : observations) {
            Lifetimes l = lifetimes.get(o.value());
            String why = l == null ? "no operation of the history may have stored " + Values.format(o.value())
                    : l.whyUnavailable(o.op(), o.value());
            if (why != null) {
                impossible.put(o.op(), why);
            }
        }
        return impossible;
    }

    /** A store (null: the initial value) and the overwrite that surely ended it (null: none did). */
    private record Lifetime(Store store, Store overwrite) {
        long invoked() {
            return store == null ? Long.MIN_VALUE : store.op().invokeNanos();
        }

        long gone() {
            return overwrite == null ? Long.MAX_VALUE : overwrite.op().responseNanos();
        }
    }

    /** The stores of one value by invocation, with the longest-lived of each prefix. */
    private static final class Lifetimes {
        private final List<Lifetime> byInvocation;
        private final long[] invoked;
        private final int[] longestLived;

        Lifetimes(List<Lifetime> lifetimes) {
            byInvocation = new ArrayList<>(lifetimes);
            byInvocation.sort(Comparator.comparingLong(Lifetime::invoked));
            invoked = new long[byInvocation.size()];
            longestLived = new int[byInvocation.size()];
            for (int i = 0; i < invoked.length; i++) {
                invoked[i] = byInvocation.get(i).invoked();
                longestLived[i] = i > 0 && byInvocation.get(longestLived[i - 1]).gone() >= byInvocation.get(i).gone()
                        ? longestLived[i - 1] : i;
            }
        }

        /**
         * Why {@code observer} cannot see {@code value}: every store of it that may come before the observer (was
         * invoked by its response) was surely overwritten before its invocation. Null if one may still be there.
         */
        String whyUnavailable(Operation observer, Object value) {
            int i = Arrays.binarySearch(invoked, observer.responseNanos());
            int count = i >= 0 ? i + 1 : -i - 1;
            while (count < invoked.length && invoked[count] <= observer.responseNanos()) {
                count++; // touching intervals count as concurrent
            }
            if (count == 0) {
                Operation first = byInvocation.get(0).store().op();
                return "every store of " + Values.format(value) + " was invoked after this responded (the first, #"
                        + first.id() + ", at " + first.invokeNanos() + ")";
            }
            Lifetime l = byInvocation.get(longestLived[count - 1]);
            if (l.gone() >= observer.invokeNanos()) {
                return null;
            }
            return (l.store() == null ? Values.format(value) + " is the initial value and"
                    : "the last store of " + Values.format(value) + " before this, #" + l.store().op().id() + ",")
                    + " was overwritten by #" + l.overwrite().op().id() + " " + l.overwrite().op().kind()
                    + Values.formatArgs(l.overwrite().op().args()) + ", which responded before this was invoked";
        }
    }

    private static long response(List<Store> overwrites, int i) {
        return overwrites.get(i).op().responseNanos();
    }

    /** The overwrite invoked strictly after {@code after} (touching intervals are concurrent) that responds first. */
    private static Store overwriteAfter(long after, long[] invokes, List<Store> overwrites, int[] best) {
        int i = Arrays.binarySearch(invokes, after);
        if (i < 0) {
            i = -i - 1;
        }
        while (i < invokes.length && invokes[i] <= after) {
            i++;
        }
        return best[i] < 0 ? null : overwrites.get(best[i]);
    }
}
