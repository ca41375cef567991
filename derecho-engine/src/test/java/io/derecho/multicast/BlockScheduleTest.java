package io.derecho.multicast;

import static org.assertj.core.api.Assertions.assertThat;

import io.derecho.config.BlockScheduleKind;
import org.junit.jupiter.api.Test;

class BlockScheduleTest {

    @Test
    void everyMemberReceivesEveryBlockExactlyOnceAndSendsOnlyWhatItHas() {
        for (BlockScheduleKind kind : BlockScheduleKind.values()) {
            for (int n = 1; n <= 17; n++) {
                for (int blocks : new int[] {1, 2, 3, 7, 16, 33}) {
                    BlockSchedule.Sends[] plan = BlockSchedule.plan(kind, n, blocks);
                    int[][] received = new int[n][blocks];
                    // Execute the plan event by event: each position performs its sends in order once it holds the block.
                    boolean[][] have = new boolean[n][blocks];
                    java.util.Arrays.fill(have[0], true);
                    int[] cursor = new int[n];
                    boolean progress = true;
                    while (progress) {
                        progress = false;
                        for (int p = 0; p < n; p++) {
                            while (cursor[p] < plan[p].size() && have[p][plan[p].blocks()[cursor[p]]]) {
                                int b = plan[p].blocks()[cursor[p]];
                                int d = plan[p].dests()[cursor[p]];
                                received[d][b]++;
                                have[d][b] = true;
                                cursor[p]++;
                                progress = true;
                            }
                        }
                    }
                    String where = kind + " n=" + n + " blocks=" + blocks;
                    for (int p = 0; p < n; p++) {
                        assertThat(cursor[p]).as(where + ": position " + p + " finished its sends").isEqualTo(plan[p].size());
                        for (int b = 0; b < blocks; b++) {
                            assertThat(received[p][b]).as(where + ": position " + p + " block " + b)
                                    .isEqualTo(p == 0 ? 0 : 1);
                        }
                    }
                }
            }
        }
    }

    @Test
    void binomialPipelineRootSendsEachBlockAboutOnce() {
        for (int n : new int[] {2, 4, 8, 16}) {
            int blocks = 64;
            BlockSchedule.Sends[] plan = BlockSchedule.plan(BlockScheduleKind.BINOMIAL_PIPELINE, n, blocks);
            int lg = Integer.numberOfTrailingZeros(n);
            assertThat(plan[0].size()).as("root sends for n=%d", n).isLessThanOrEqualTo(blocks + lg);
            assertThat(BlockSchedule.plan(BlockScheduleKind.SEQUENTIAL, n, blocks)[0].size()).isEqualTo(blocks * (n - 1));
        }
    }
}
