package io.derecho.fabric.tcp;

import static io.derecho.fabric.tcp.TcpTestSupport.addr;
import static io.derecho.fabric.tcp.TcpTestSupport.startAll;
import static io.derecho.fabric.tcp.TcpTestSupport.withFreePorts;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three nodes on loopback each stream frames of 1 B to 64 KiB to both others, in batches with one
 * flush per batch; every receiver checks order, loss, duplicates and content. Replay a failure
 * with {@code -Dderecho.tcp.seed=<seed>}.
 */
class TcpFabricStreamTest extends TcpFabricTestBase {

    private static final int NODES = 3;
    private static final int BATCH = 64;
    private static final int HEADER = 16; // seq:int64 length:int32 crc32c:int32
    private static final int MAX_PAYLOAD = 64 * 1024;
    private static final long SEED = Long.getLong("derecho.tcp.seed", 20_240_601L);
    /** Payloads are windows of this block, so receivers can check every byte. */
    private static final byte[] PATTERN = new byte[MAX_PAYLOAD + 4096];

    static {
        new SplittableRandom(SEED).nextBytes(PATTERN);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void threeNodesOverEpollDeliverEveryFrameOnceInOrderIntact() throws Exception {
        EventLoop[] loops = {loop(0), loop(1), loop(2)};
        stream(loops, 100_000);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void threeNodesOverNioDeliverEveryFrameOnceInOrderIntact() throws Exception {
        List<EventLoopGroup> groups = new ArrayList<>();
        try {
            EventLoop[] loops = new EventLoop[NODES];
            for (int i = 0; i < NODES; i++) {
                EventLoopGroup g = TcpFabric.newLoopGroup("fabric-test-nio-" + i, false);
                groups.add(g);
                loops[i] = g.next();
            }
            stream(loops, 10_000);
        } finally {
            closeFabrics();
            groups.forEach(g -> g.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly());
        }
    }

    private void stream(EventLoop[] loops, int framesPerPeer) throws Exception {
        String replay = "seed " + SEED + " (replay with -Dderecho.tcp.seed=" + SEED + ")";
        long start = System.nanoTime();
        StreamChecker[] checkers = new StreamChecker[NODES];
        TcpFabric[] fabrics = new TcpFabric[NODES];
        withFreePorts(NODES, ports -> {
            List<TcpFabric> started = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                Map<Integer, InetSocketAddress> peers = new HashMap<>();
                for (int j = 0; j < NODES; j++) {
                    if (j != i) {
                        peers.put(j, addr(ports[j]));
                    }
                }
                checkers[i] = new StreamChecker(loops[i], i);
                fabrics[i] = fabric(new TcpFabricConfig(GROUP, i, addr(ports[i]), peers),
                        loops[i], checkers[i]);
                started.add(fabrics[i]);
            }
            startAll(started);
            return null;
        });
        CompletableFuture.allOf(fabrics[0].allConnected(), fabrics[1].allConnected(),
                fabrics[2].allConnected()).get(10, TimeUnit.SECONDS);
        long connected = System.nanoTime();

        Sender[] senders = new Sender[NODES];
        for (int i = 0; i < NODES; i++) {
            senders[i] = new Sender(fabrics[i], loops[i], i, framesPerPeer);
            loops[i].execute(senders[i]);
        }
        long expectedPerNode = 2L * framesPerPeer;
        await().atMost(Duration.ofSeconds(50)).until(() -> {
            for (StreamChecker c : checkers) {
                if (!c.errors.isEmpty() || !c.linkDowns.isEmpty()) {
                    return true;
                }
            }
            for (StreamChecker c : checkers) {
                if (c.frameCount.get() < expectedPerNode) {
                    return false;
                }
            }
            return true;
        });
        long done = System.nanoTime();

        long frames = 0;
        long batchEnds = 0;
        long bytes = 0;
        for (StreamChecker c : checkers) {
            assertThat(c.errors).as(replay).isEmpty();
            assertThat(c.linkDowns).as(replay).isEmpty();
            assertThat(c.threadViolations).isEmpty();
            for (int from = 0; from < NODES; from++) {
                assertThat(c.received.get(from)).as("node %d from node %d, %s", c.me, from, replay)
                        .isEqualTo(from == c.me ? 0 : framesPerPeer);
            }
            frames += c.frameCount.get();
            batchEnds += c.batchEnds.get();
            bytes += c.bytes;
        }
        for (Sender s : senders) {
            // The sender marks itself done right after its last flush; receivers may count that batch first.
            await().atMost(Duration.ofSeconds(10)).until(s.done::isDone);
            assertThat(s.done).isCompletedWithValue(null);
        }
        for (TcpFabric f : fabrics) {
            assertThat(f.droppedFrames()).isZero();
        }
        assertThat(frames).isEqualTo(NODES * expectedPerNode);
        // One batch end per loop iteration with reads, not one per frame.
        assertThat(batchEnds).as("batch ends for %d frames", frames).isPositive().isLessThan(frames / 4);
        System.out.printf("%s: %d frames, %d MiB, %d batch ends, %d flushes, connect %d ms,"
                        + " stream %d ms, transport %s%n", replay, frames, bytes >> 20, batchEnds,
                senders[0].flushes + senders[1].flushes + senders[2].flushes,
                (connected - start) / 1_000_000, (done - connected) / 1_000_000,
                fabrics[0].transportName());
    }

    private static int size(SplittableRandom r, long seq) {
        if (seq % 997 == 0) {
            return MAX_PAYLOAD;
        }
        if (seq % 997 == 1) {
            return 1;
        }
        // Mostly small frames, like protocol traffic, with a tail of large ones.
        return r.nextInt(20) == 0 ? 1 + r.nextInt(MAX_PAYLOAD) : 1 + r.nextInt(512);
    }

    private static int offset(int from, int to, long seq) {
        return (int) Math.floorMod(seq * 7919 + from * 131L + to * 17L, 4096L);
    }

    /** Sends batches of frames to every peer, one flush per batch, pausing while a link is full. */
    private static final class Sender implements Runnable {
        final TcpFabric fabric;
        final EventLoop loop;
        final int me;
        final int total;
        final int[] peers;
        final long[] next;
        final SplittableRandom[] sizes;
        final CRC32C crc = new CRC32C();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile long flushes;

        Sender(TcpFabric fabric, EventLoop loop, int me, int total) {
            this.fabric = fabric;
            this.loop = loop;
            this.me = me;
            this.total = total;
            this.peers = new int[NODES - 1];
            for (int j = 0, k = 0; j < NODES; j++) {
                if (j != me) {
                    peers[k++] = j;
                }
            }
            this.next = new long[peers.length];
            this.sizes = new SplittableRandom[peers.length];
            for (int k = 0; k < peers.length; k++) {
                sizes[k] = new SplittableRandom(SEED * 31 + me * 7L + peers[k]);
            }
        }

        @Override
        public void run() {
            try {
                boolean wrote = false;
                boolean remaining = false;
                for (int k = 0; k < peers.length; k++) {
                    if (next[k] < total && fabric.isWritable(peers[k])) {
                        for (int b = 0; b < BATCH && next[k] < total; b++) {
                            fabric.send(peers[k], frame(peers[k], next[k]++, sizes[k]));
                        }
                        wrote = true;
                    }
                    remaining |= next[k] < total;
                }
                if (wrote) {
                    fabric.flush();
                    flushes++;
                }
                if (remaining) {
                    // Scheduled, not execute()d, so the loop does its I/O between batches.
                    loop.schedule(this, wrote ? 0 : 200, TimeUnit.MICROSECONDS);
                } else {
                    done.complete(null);
                }
            } catch (Throwable t) {
                done.completeExceptionally(t);
                throw t;
            }
        }

        private ByteBuffer frame(int to, long seq, SplittableRandom r) {
            int length = size(r, seq);
            int off = offset(me, to, seq);
            crc.reset();
            crc.update(PATTERN, off, length);
            ByteBuffer b = ByteBuffer.allocate(HEADER + length);
            b.putLong(seq).putInt(length).putInt((int) crc.getValue()).put(PATTERN, off, length);
            return b.flip();
        }
    }

    /** Checks each frame's sequence number, length, checksum and every byte, on the loop. */
    private static final class StreamChecker extends RecordingHandler {
        final int me;
        final long[] next = new long[NODES];
        final AtomicLongArray received = new AtomicLongArray(NODES);
        final Queue<String> errors = new ConcurrentLinkedQueue<>();
        final CRC32C crc = new CRC32C();
        volatile long bytes;

        StreamChecker(EventLoop loop, int me) {
            super(loop);
            this.me = me;
        }

        @Override
        void handleFrame(int from, ByteBuffer frame) {
            bytes += frame.remaining();
            int p = frame.position();
            if (frame.remaining() < HEADER) {
                error("frame of " + frame.remaining() + " bytes from node " + from + " has no header");
                return;
            }
            long seq = frame.getLong(p);
            int length = frame.getInt(p + 8);
            int sum = frame.getInt(p + 12);
            if (seq != next[from]) {
                error("from node " + from + ": expected seq " + next[from] + " but got " + seq);
            }
            next[from] = seq + 1;
            received.incrementAndGet(from);
            if (frame.remaining() != HEADER + length) {
                error("frame " + seq + " from node " + from + " has " + frame.remaining()
                        + " bytes, its header says " + (HEADER + length));
                return;
            }
            ByteBuffer payload = frame.slice(p + HEADER, length);
            crc.reset();
            crc.update(payload.duplicate());
            if ((int) crc.getValue() != sum) {
                error("frame " + seq + " from node " + from + " fails its CRC32C");
            }
            int off = offset(from, me, seq);
            if (payload.mismatch(ByteBuffer.wrap(PATTERN, off, length)) != -1) {
                error("frame " + seq + " from node " + from + " has wrong content");
            }
        }

        private void error(String e) {
            if (errors.size() < 20) {
                errors.add(e);
            }
        }
    }
}
