package io.derecho.multicast;

import io.derecho.config.BlockScheduleKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who sends which block of a large message to whom. Positions are ranks in the shard rotated so
 * that the sender is position 0. The plan is computed by simulating the schedule in lock-step
 * rounds; at run time each node simply performs its own sends in plan order as soon as it holds
 * the block, which is deadlock-free because the plan is a valid sequential execution.
 *
 * <p>Every non-root position receives every block exactly once.
 */
public final class BlockSchedule {

    /** Sends of one position: {@code blocks[i]} goes to position {@code dests[i]}, in order. */
    public record Sends(int[] blocks, int[] dests) {
        public int size() {
            return blocks.length;
        }
    }

    private static final Map<String, Sends[]> CACHE = new ConcurrentHashMap<>();

    private BlockSchedule() {
    }

    /** The plan for {@code n} positions and {@code blocks} blocks, indexed by position. */
    public static Sends[] plan(BlockScheduleKind kind, int n, int blocks) {
        if (n < 1 || blocks < 1) {
            throw new IllegalArgumentException("need at least one member and one block");
        }
        return CACHE.computeIfAbsent(kind + ":" + n + ":" + blocks, k -> switch (kind) {
            case SEQUENTIAL -> sequential(n, blocks);
            case CHAIN -> chain(n, blocks);
            case BINOMIAL_PIPELINE -> binomialPipeline(n, blocks);
        });
    }

    private static Sends[] sequential(int n, int blocks) {
        Builder[] b = builders(n);
        for (int blk = 0; blk < blocks; blk++) {
            for (int d = 1; d < n; d++) {
                b[0].add(blk, d);
            }
        }
        return build(b);
    }

    private static Sends[] chain(int n, int blocks) {
        Builder[] b = builders(n);
        for (int blk = 0; blk < blocks; blk++) {
            for (int p = 0; p + 1 < n; p++) {
                b[p].add(blk, p + 1);
            }
        }
        return build(b);
    }

    /**
     * Binomial pipeline on a hypercube of 2^l virtual positions; a virtual position v >= n is
     * played by the real position v - 2^(l-1). In round t every pair across dimension t mod l
     * exchanges one block: the root introduces the next new block, everyone else passes the
     * lowest block its partner lacks. The root thus sends each block about once and the others
     * relay, so the root's outbound bandwidth does not grow with the shard.
     */
    private static Sends[] binomialPipeline(int n, int blocks) {
        Builder[] b = builders(n);
        if (n == 1) {
            return build(b);
        }
        int l = 32 - Integer.numberOfLeadingZeros(n - 1);
        int virtual = 1 << l;
        boolean[][] have = new boolean[n][blocks];
        int[] haveCount = new int[n];
        Arrays.fill(have[0], true);
        haveCount[0] = blocks;
        int complete = 1;
        int nextNew = 0;
        int[] gotBlock = new int[2 * virtual];
        int[] gotAt = new int[2 * virtual];
        int maxRounds = (blocks + l + 2) * virtual * 4;
        for (int round = 0; complete < n; round++) {
            if (round > maxRounds) {
                throw new IllegalStateException("binomial pipeline plan did not converge for n=" + n + " blocks=" + blocks);
            }
            int bit = 1 << (round % l);
            int got = 0;
            boolean introduced = false;
            for (int v = 0; v < virtual; v++) {
                int x = real(v, n, virtual);
                int y = real(v ^ bit, n, virtual);
                if (x == y) {
                    continue;
                }
                int blk = -1;
                if (x == 0 && !introduced && nextNew < blocks && !pending(gotBlock, gotAt, got, y, nextNew)) {
                    blk = nextNew;
                    introduced = true;
                } else {
                    for (int c = 0; c < blocks; c++) {
                        if (have[x][c] && !have[y][c] && (x == 0 ? c < nextNew : true)
                                && !pending(gotBlock, gotAt, got, y, c)) {
                            blk = c;
                            break;
                        }
                    }
                }
                if (blk >= 0) {
                    b[x].add(blk, y);
                    gotAt[got] = y;
                    gotBlock[got++] = blk;
                }
            }
            if (introduced) {
                nextNew++;
            }
            for (int i = 0; i < got; i++) {
                int y = gotAt[i];
                if (!have[y][gotBlock[i]]) {
                    have[y][gotBlock[i]] = true;
                    if (++haveCount[y] == blocks) {
                        complete++;
                    }
                }
            }
        }
        return build(b);
    }

    private static boolean pending(int[] gotBlock, int[] gotAt, int got, int y, int blk) {
        for (int i = 0; i < got; i++) {
            if (gotAt[i] == y && gotBlock[i] == blk) {
                return true;
            }
        }
        return false;
    }

    private static int real(int v, int n, int virtual) {
        return v < n ? v : v - virtual / 2;
    }

    private static Builder[] builders(int n) {
        Builder[] b = new Builder[n];
        for (int i = 0; i < n; i++) {
            b[i] = new Builder();
        }
        return b;
    }

    private static Sends[] build(Builder[] b) {
        Sends[] s = new Sends[b.length];
        for (int i = 0; i < b.length; i++) {
            s[i] = new Sends(b[i].blocks.stream().mapToInt(Integer::intValue).toArray(),
                    b[i].dests.stream().mapToInt(Integer::intValue).toArray());
        }
        return s;
    }

    private static final class Builder {
        final List<Integer> blocks = new ArrayList<>();
        final List<Integer> dests = new ArrayList<>();

        void add(int block, int dest) {
            blocks.add(block);
            dests.add(dest);
        }
    }
}
