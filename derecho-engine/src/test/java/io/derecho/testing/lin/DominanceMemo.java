package io.derecho.testing.lin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * The configurations a {@link WglSearch} has expanded: per (set of OK operations linearized, state), the sets of
 * UNKNOWN operations linearized with it. A configuration is dominated by an expanded one with the same OK set and
 * state and a subset of its UNKNOWN operations, since those are never required and block nothing: whatever the
 * larger configuration can still do, the smaller one can too.
 */
final class DominanceMemo {
    private static final long[] NO_BITS = new long[0];

    /** Per (OK set, state): the UNKNOWN sets expanded with it, one long[] or a list of them. */
    private final HashMap<Key, Object> memo = new HashMap<>();
    private long size;

    /** Configurations remembered. */
    long size() {
        return size;
    }

    /**
     * Records a configuration as expanded; false if it, or one that dominates it, was expanded already. The bit
     * sets are copied (trimmed), the state kept.
     */
    boolean remember(long[] okBits, long[] unknownBits, Object state) {
        Key key = new Key(okBits, state);
        long[] unknownSet = trimmed(unknownBits);
        Object seen = memo.get(key);
        if (seen == null) {
            memo.put(key, unknownSet);
        } else if (seen instanceof long[] one) {
            if (isSubset(one, unknownSet)) {
                return false;
            }
            List<long[]> list = new ArrayList<>(4);
            list.add(one);
            list.add(unknownSet);
            memo.put(key, list);
        } else {
            @SuppressWarnings("unchecked")
            List<long[]> list = (List<long[]>) seen;
            for (long[] other : list) {
                if (isSubset(other, unknownSet)) {
                    return false;
                }
            }
            list.add(unknownSet);
        }
        size++;
        return true;
    }

    /** Whether this configuration, or one that dominates it, was expanded; records nothing. */
    boolean isDominated(long[] okBits, long[] unknownBits, Object state) {
        Object seen = memo.get(new Key(okBits, state));
        long[] unknownSet = trimmed(unknownBits);
        if (seen instanceof long[] one) {
            return isSubset(one, unknownSet);
        }
        if (seen instanceof List<?> list) {
            for (Object other : list) {
                if (isSubset((long[]) other, unknownSet)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static long[] trimmed(long[] bits) {
        int last = bits.length - 1;
        while (last >= 0 && bits[last] == 0L) {
            last--;
        }
        return last < 0 ? NO_BITS : Arrays.copyOf(bits, last + 1);
    }

    private static boolean isSubset(long[] a, long[] b) {
        if (a.length > b.length) {
            return false; // trimmed: a's last word is non-zero and b has no such word
        }
        for (int w = 0; w < a.length; w++) {
            if ((a[w] & ~b[w]) != 0) {
                return false;
            }
        }
        return true;
    }

    /** An OK set and a state; the OK set is stored from its first word that is not all ones. */
    private static final class Key {
        final int firstWord;
        final long[] words;
        final Object state;
        final int hash;

        Key(long[] bits, Object state) {
            int first = 0;
            while (first < bits.length && bits[first] == -1L) {
                first++;
            }
            int last = bits.length - 1;
            while (last >= first && bits[last] == 0L) {
                last--;
            }
            this.firstWord = first;
            this.words = Arrays.copyOfRange(bits, first, last + 1);
            this.state = state;
            this.hash = (Arrays.hashCode(words) * 31 + first) * 31 + state.hashCode();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && k.firstWord == firstWord && Arrays.equals(k.words, words)
                    && k.state.equals(state);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
