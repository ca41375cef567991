package io.derecho.testing;

import io.derecho.config.GroupConfig;
import io.derecho.config.Mode;
import io.derecho.multicast.ShardLayout;
import io.derecho.membership.GroupSender;
import io.derecho.runtime.DerechoNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import io.derecho.multicast.GroupLayout;

/**
 * One member process of a multi-process test: joins the static group from a configuration file,
 * sends {@code messages} deterministic messages in every shard where it is a sender (sizes up to
 * {@code maxSize}), checks each delivery (FIFO per sender, no duplicates, contents), folds the
 * delivery order of each shard into a digest, and writes a result file once it has delivered
 * everything. Then it stays up (its peers may still need its acknowledgements) until killed.
 *
 * <p>Arguments: {@code configFile nodeId messages maxSize resultFile}.
 */
public final class ClusterMemberMain {

    public static void main(String[] args) throws Exception {
        GroupConfig config = GroupConfig.load(Path.of(args[0]));
        int me = Integer.parseInt(args[1]);
        int messages = Integer.parseInt(args[2]);
        int maxSize = Integer.parseInt(args[3]);
        Path result = Path.of(args[4]);

        GroupLayout layout = GroupLayout.fromConfig(config);
        Map<Integer, ShardTally> tallies = new HashMap<>();
        long expected = 0;
        for (ShardLayout s : layout.shards()) {
            if (s.hasMember(me)) {
                tallies.put(s.index(), new ShardTally(s));
                expected += (long) messages * s.senders().length;
            }
        }
        AtomicLong remaining = new AtomicLong(expected);
        CountDownLatch done = new CountDownLatch(1);
        try (DerechoNode node = DerechoNode.start(config, me, (sg, shard, sender, index, payload, version) -> {
            tallies.get(layout.shard(sg, shard).index()).record(sender, index, payload, version);
            if (remaining.decrementAndGet() == 0) {
                done.countDown();
            }
        })) {
            node.awaitReady(Duration.ofSeconds(60));
            List<Thread> senders = new ArrayList<>();
            for (ShardLayout s : node.myShards()) {
                if (s.senderRank(me) < 0) {
                    continue;
                }
                GroupSender sender = node.sender(s.subgroup(), s.shard());
                Thread t = new Thread(() -> {
                    Random r = new Random(s.index() * 31L + me);
                    try {
                        for (int i = 0; i < messages; i++) {
                            long n = i;
                            sender.send(sizeFor(r, i, s.profile().maxSmcPayload(), maxSize),
                                    b -> Payloads.fill(b, s.index(), me, n));
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "sender-" + s.index());
                t.start();
                senders.add(t);
            }
            boolean complete = done.await(240, TimeUnit.SECONDS);
            StringBuilder out = new StringBuilder();
            out.append("complete=").append(complete).append('\n');
            for (ShardTally t : tallies.values()) {
                out.append(t.summary()).append('\n');
            }
            Path tmp = result.resolveSibling(result.getFileName() + ".tmp");
            Files.writeString(tmp, out);
            Files.move(tmp, result);
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** Every tenth message is large (block path) when maxSize allows; the rest fit a slot. */
    static int sizeFor(Random r, int i, int maxSmc, int maxSize) {
        if (i % 10 == 9 && maxSize > maxSmc) {
            return maxSmc + 1 + r.nextInt(maxSize - maxSmc);
        }
        return r.nextInt(Math.min(maxSmc, maxSize) + 1);
    }

    /** What one member saw in one shard. */
    static final class ShardTally {
        final ShardLayout shard;
        final Map<Integer, Long> next = new HashMap<>();
        long count;
        long digest = 1469598103934665603L;
        long lastVersion = Long.MIN_VALUE;
        final List<String> errors = new ArrayList<>();

        ShardTally(ShardLayout shard) {
            this.shard = shard;
        }

        void record(int sender, long index, java.nio.ByteBuffer payload, long version) {
            count++;
            long want = next.getOrDefault(sender, 0L);
            if (index != want) {
                error("sender " + sender + " index " + index + " delivered when " + want + " was next");
            }
            next.put(sender, index + 1);
            long crc = Payloads.crc(payload);
            if (crc != Payloads.expectedCrc(payload.remaining(), shard.index(), sender, index)) {
                error("message " + sender + ":" + index + " corrupted (" + payload.remaining() + " bytes)");
            }
            if (shard.mode() == Mode.ORDERED) {
                if (version <= lastVersion) {
                    error("version went backwards at " + sender + ":" + index);
                }
                lastVersion = version;
                digest = (digest ^ (sender * 1_000_003L + index)) * 1099511628211L;
                digest = (digest ^ crc) * 1099511628211L;
            }
        }

        private void error(String e) {
            if (errors.size() < 10) {
                errors.add(e);
            }
        }

        String summary() {
            return "shard=" + shard.index() + " count=" + count + " digest=" + Long.toHexString(digest)
                    + " errors=" + errors.size() + (errors.isEmpty() ? "" : " first=" + errors.get(0));
        }
    }
}
