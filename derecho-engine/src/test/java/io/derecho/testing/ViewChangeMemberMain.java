package io.derecho.testing;

import io.derecho.config.GroupConfig;
import io.derecho.membership.GroupSender;
import io.derecho.membership.MembershipSettings;
import io.derecho.membership.View;
import io.derecho.membership.ViewListener;
import io.derecho.runtime.DerechoNode;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A member process for view-change tests: every member sends {@code messages} messages into
 * subgroup 0 shard 0 (which holds every member); deliveries are checked (FIFO per sender,
 * contents) and folded into one digest per view. When every member of the current view has
 * delivered all its messages here, the result file is written: the views, a digest and count per
 * view, the count per sender, the errors, and when each view was installed ({@code System.nanoTime},
 * comparable between processes of one machine). A file {@code <result>.started} appears once 100
 * messages were delivered, so a test can kill a member mid-traffic.
 *
 * <p>Arguments: {@code configFile nodeId messages resultFile}.
 */
public final class ViewChangeMemberMain {

    public static void main(String[] args) throws Exception {
        GroupConfig config = GroupConfig.load(Path.of(args[0]));
        int me = Integer.parseInt(args[1]);
        int messages = Integer.parseInt(args[2]);
        Path result = Path.of(args[3]);
        int shardKey = 0;

        Map<Integer, Long> next = new ConcurrentHashMap<>();
        Map<Integer, long[]> digestByView = new TreeMap<>();
        List<String> viewLines = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Object lock = new Object();
        long[] total = {0};
        View[] current = {null};

        ViewListener views = new ViewListener() {
            @Override
            public void onViewInstalled(View view) {
                synchronized (lock) {
                    current[0] = view;
                    viewLines.add("view " + view.id() + " " + java.util.Arrays.toString(view.members()) + " at "
                            + System.nanoTime());
                    lock.notifyAll();
                }
            }
        };
        try (DerechoNode node = DerechoNode.start(config, me, (sg, shard, sender, index, payload, version) -> {
            ByteBuffer p = payload.duplicate();
            int from = p.getInt(p.position());
            long seq = p.getLong(p.position() + 4);
            int viewId = (int) (version >>> 32);
            synchronized (lock) {
                long want = next.getOrDefault(sender, 0L);
                if (from != sender || seq != want) {
                    errors.add("from " + sender + ": got " + from + "#" + seq + " when #" + want + " was next");
                }
                if (Payloads.crc(payload) != Payloads.crc(ByteBuffer.wrap(payloadOf(payload.remaining(), shardKey, sender, seq)))) {
                    errors.add("message " + sender + "#" + seq + " corrupted");
                }
                next.put(sender, seq + 1);
                long[] d = digestByView.computeIfAbsent(viewId, v -> new long[] {1469598103934665603L, 0});
                d[0] = (d[0] ^ (sender * 1_000_003L + seq)) * 1099511628211L;
                d[1]++;
                total[0]++;
                lock.notifyAll();
            }
        }, new MembershipSettings(100, 2000, true), views)) {
            node.awaitReady(Duration.ofSeconds(60));
            GroupSender out = node.sender(0, 0);
            Thread sender = Thread.ofPlatform().start(() -> {
                try {
                    for (long i = 0; i < messages; i++) {
                        out.sendOwned(payloadOf(64 + (int) (i % 200), shardKey, me, i));
                    }
                } catch (InterruptedException | IllegalStateException e) {
                    // stopped
                }
            });
            boolean startedMarked = false;
            synchronized (lock) {
                while (true) {
                    if (!startedMarked && total[0] >= 100) {
                        Files.writeString(result.resolveSibling(result.getFileName() + ".started"), "started\n");
                        startedMarked = true;
                    }
                    View v = current[0];
                    boolean done = v != null;
                    for (int m : v == null ? new int[0] : v.members()) {
                        done &= next.getOrDefault(m, 0L) == messages;
                    }
                    if (done || node.stoppedReason() != null) {
                        break;
                    }
                    lock.wait(100);
                }
                StringBuilder b = new StringBuilder();
                b.append("stopped=").append(node.stoppedReason()).append('\n');
                viewLines.forEach(l -> b.append(l).append('\n'));
                digestByView.forEach((v, d) -> b.append("digest ").append(v).append(' ').append(Long.toHexString(d[0]))
                        .append(" count ").append(d[1]).append('\n'));
                new TreeMap<>(next).forEach((s, c) -> b.append("sender ").append(s).append(" count ").append(c).append('\n'));
                b.append("errors ").append(errors.size()).append(errors.isEmpty() ? "" : " first " + errors.get(0)).append('\n');
                Path tmp = result.resolveSibling(result.getFileName() + ".tmp");
                Files.writeString(tmp, b);
                Files.move(tmp, result);
            }
            sender.join(1000);
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    static byte[] payloadOf(int size, int shardKey, int sender, long seq) {
        byte[] m = new byte[Math.max(12, size)];
        Payloads.fill(ByteBuffer.wrap(m), shardKey, sender, seq);
        ByteBuffer.wrap(m).putInt(sender).putLong(seq);
        return m;
    }
}
