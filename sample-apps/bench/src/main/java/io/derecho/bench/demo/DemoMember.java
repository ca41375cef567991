package io.derecho.bench.demo;

import io.derecho.config.GroupConfig;
import io.derecho.membership.GroupSender;
import io.derecho.runtime.DerechoNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One member of the demo cluster: multicasts {@code size}-byte messages in the group's ORDERED
 * shard for {@code seconds}, then an end marker; prints once a second how many messages it has
 * delivered and a checksum of the delivery order, and a final line once every sender's end
 * marker arrived. Every member prints the same final checksum when total order holds.
 *
 * <p>Arguments: {@code configFile nodeId seconds size}.
 */
public final class DemoMember {
    private static final byte DATA = 0;
    private static final byte END = 1;

    public static void main(String[] args) throws Exception {
        GroupConfig config = GroupConfig.load(Path.of(args[0]));
        int me = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int size = Math.max(9, Integer.parseInt(args[3]));
        int senders = config.subgroups().get(0).shards().get(0).effectiveSenders().size();

        AtomicLong delivered = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        long[] checksum = {1469598103934665603L};
        CountDownLatch ends = new CountDownLatch(senders);
        try (DerechoNode node = DerechoNode.start(config, me, (sg, shard, sender, index, payload, version) -> {
            if (payload.get(payload.position()) == END) {
                ends.countDown();
                return;
            }
            delivered.incrementAndGet();
            bytes.addAndGet(payload.remaining());
            checksum[0] = (checksum[0] ^ (sender * 1_000_003L + index)) * 1099511628211L;
        })) {
            node.awaitReady(Duration.ofSeconds(60));
            Thread reporter = Thread.ofPlatform().daemon().start(() -> report(me, delivered, bytes, checksum));
            GroupSender out = node.sender(0, 0);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long sent = 0;
            while (System.nanoTime() < end) {
                out.send(size, b -> b.put(0, DATA));
                sent++;
            }
            out.send(9, b -> b.put(END).putLong(0));
            boolean all = ends.await(60, TimeUnit.SECONDS);
            reporter.interrupt();
            System.out.printf(Locale.ROOT, "FINAL node=%d sent=%d delivered=%d checksum=%016x complete=%s%n",
                    me, sent, delivered.get(), checksum[0], all);
            System.out.flush();
            // Stay until the launcher says everyone is done: peers may still need this node's acknowledgements.
            System.in.read();
        }
    }

    private static void report(int me, AtomicLong delivered, AtomicLong bytes, long[] checksum) {
        long lastCount = 0;
        long lastBytes = 0;
        try {
            while (true) {
                Thread.sleep(1000);
                long c = delivered.get();
                long b = bytes.get();
                System.out.printf(Locale.ROOT, "node %d: delivered %,d messages (%,d msg/s, %.1f MB/s), order checksum %016x%n",
                        me, c, c - lastCount, (b - lastBytes) / 1e6, checksum[0]);
                lastCount = c;
                lastBytes = b;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
