package io.derecho.testing;

import io.derecho.config.GroupConfig;
import io.derecho.membership.GroupSender;
import io.derecho.membership.MembershipSettings;
import io.derecho.membership.StateTransfer;
import io.derecho.membership.View;
import io.derecho.membership.ViewListener;
import io.derecho.multicast.ShardLayout;
import io.derecho.runtime.DerechoNode;
import io.derecho.runtime.NodeOptions;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A member process whose application state moves with state transfer: it delivers the messages of
 * subgroup 0 shard 0 (every configured member sends {@code messages}), checks FIFO and contents,
 * and keeps a running digest of everything delivered plus each sender's next sequence number. That
 * state is what a joiner receives; a member restarted as a joiner with its old id resumes sending
 * where its delivered messages end. When every configured sender's messages are all delivered here,
 * the result file is written: the views (with install times), the digest, the counts, the errors,
 * and for a joiner the time from its join request to its first delivery. A {@code .started} marker
 * appears after 100 deliveries.
 *
 * <p>Arguments: {@code configFile nodeId messages resultFile [join]}.
 */
public final class JoinMemberMain {

    /** The replicated application: a digest of all deliveries and each sender's next sequence number. */
    static final class App implements StateTransfer {
        final Map<Integer, Long> next = new TreeMap<>();
        final List<String> errors = new ArrayList<>();
        long digest = 1469598103934665603L;
        long total;
        long restoredTotal = -1;

        synchronized void deliver(int sender, ByteBuffer payload) {
            int from = payload.getInt(payload.position());
            long seq = payload.getLong(payload.position() + 4);
            long want = next.getOrDefault(sender, 0L);
            if (from != sender || seq != want) {
                errors.add("from " + sender + ": got " + from + "#" + seq + " when #" + want + " was next");
            }
            if (Payloads.crc(payload) != Payloads.crc(ByteBuffer.wrap(ViewChangeMemberMain.payloadOf(payload.remaining(), 0, sender, seq)))) {
                errors.add("message " + sender + "#" + seq + " corrupted");
            }
            next.put(sender, seq + 1);
            digest = (digest ^ (sender * 1_000_003L + seq)) * 1099511628211L;
            total++;
            notifyAll();
        }

        @Override
        public synchronized void writeState(ShardLayout shard, int viewId, OutputStream out) throws IOException {
            DataOutputStream d = new DataOutputStream(out);
            d.writeLong(digest);
            d.writeLong(total);
            d.writeInt(next.size());
            for (var e : next.entrySet()) {
                d.writeInt(e.getKey());
                d.writeLong(e.getValue());
            }
            d.flush();
        }

        @Override
        public synchronized void readState(ShardLayout shard, int viewId, InputStream in) throws IOException {
            DataInputStream d = new DataInputStream(in);
            digest = d.readLong();
            total = d.readLong();
            next.clear();
            for (int i = d.readInt(); i > 0; i--) {
                next.put(d.readInt(), d.readLong());
            }
            restoredTotal = total;
            notifyAll();
        }
    }

    public static void main(String[] args) throws Exception {
        GroupConfig config = GroupConfig.load(Path.of(args[0]));
        int me = Integer.parseInt(args[1]);
        int messages = Integer.parseInt(args[2]);
        Path result = Path.of(args[3]);
        boolean join = args.length > 4 && args[4].equals("join");
        App app = new App();
        List<String> viewLines = new ArrayList<>();
        long[] firstDelivery = {0};
        NodeOptions options = NodeOptions.defaults().settings(new MembershipSettings(100, 2000, true)).state(app)
                .viewListener(new ViewListener() {
                    @Override
                    public void onViewInstalled(View view) {
                        synchronized (app) {
                            viewLines.add("view " + view.id() + " " + java.util.Arrays.toString(view.members()) + " at "
                                    + System.nanoTime());
                        }
                    }
                });
        if (join) {
            options = options.joining();
        }
        long asked = System.nanoTime();
        try (DerechoNode node = DerechoNode.start(config, me, (sg, shard, sender, index, payload, version) -> {
            synchronized (app) {
                if (firstDelivery[0] == 0) {
                    firstDelivery[0] = System.nanoTime();
                }
            }
            app.deliver(sender, payload);
        }, options)) {
            node.awaitReady(Duration.ofSeconds(60));
            long readyAt = System.nanoTime();
            long from;
            synchronized (app) {
                from = app.next.getOrDefault(me, 0L); // a returning member resumes after what was delivered
            }
            GroupSender out = node.sender(0, 0);
            Thread sender = Thread.ofPlatform().start(() -> {
                try {
                    for (long i = from; i < messages; i++) {
                        out.sendOwned(ViewChangeMemberMain.payloadOf(64 + (int) (i % 200), 0, me, i));
                    }
                } catch (InterruptedException | IllegalStateException e) {
                    // stopped
                }
            });
            synchronized (app) {
                boolean startedMarked = false;
                while (true) {
                    if (!startedMarked && app.total >= 100) {
                        Files.writeString(result.resolveSibling(result.getFileName() + ".started"), "started\n");
                        startedMarked = true;
                    }
                    boolean done = config.members().stream().allMatch(m -> app.next.getOrDefault(m.id(), 0L) == messages);
                    if (done || node.stoppedReason() != null) {
                        break;
                    }
                    app.wait(100);
                }
                StringBuilder b = new StringBuilder();
                b.append("stopped=").append(node.stoppedReason()).append('\n');
                viewLines.forEach(l -> b.append(l).append('\n'));
                b.append("digest ").append(Long.toHexString(app.digest)).append(" total ").append(app.total).append('\n');
                app.next.forEach((s, c) -> b.append("sender ").append(s).append(" count ").append(c).append('\n'));
                if (join) {
                    b.append("restored ").append(app.restoredTotal).append('\n');
                    b.append("ready-ms ").append((readyAt - asked) / 1_000_000).append('\n');
                    b.append("first-delivery-ms ").append(firstDelivery[0] == 0 ? -1 : (firstDelivery[0] - asked) / 1_000_000)
                            .append('\n');
                }
                b.append("errors ").append(app.errors.size()).append(app.errors.isEmpty() ? "" : " first " + app.errors.get(0))
                        .append('\n');
                Path tmp = result.resolveSibling(result.getFileName() + ".tmp");
                Files.writeString(tmp, b);
                Files.move(tmp, result);
            }
            sender.join(1000);
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
