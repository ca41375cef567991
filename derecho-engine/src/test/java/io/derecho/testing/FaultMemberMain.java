package io.derecho.testing;

import io.derecho.config.GroupConfig;
import io.derecho.membership.GroupSender;
import io.derecho.membership.MembershipSettings;
import io.derecho.membership.View;
import io.derecho.membership.ViewListener;
import io.derecho.runtime.DerechoNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A member process for fault-injection tests (a paused member, a network partition): like
 * {@link ViewChangeMemberMain}, every member sends {@code messages} paced messages into subgroup 0
 * shard 0 and checks what it delivers, but it writes its result file in either of two outcomes:
 * <ul>
 *   <li>{@code done}: a view with id at least {@code minView} is installed and every member of it
 *       has delivered all its messages here;</li>
 *   <li>{@code stopped}: the node stopped ({@link DerechoNode#stoppedReason()}: removed from the
 *       view, or it sees no majority); written once deliveries already handed over have drained.</li>
 * </ul>
 * A test marks an instant by writing {@code System.nanoTime()} (comparable between processes of
 * one machine, and across network namespaces) into {@code <result>.mark} (the instant before a
 * SIGCONT, the instant a cut was complete); the result then counts the deliveries made after it. Each installed
 * view also leaves a file {@code <result>.view-<id>}, and {@code <result>.started} appears after
 * {@code startedAfter} deliveries, so the test can wait on them. Members start their nodes together:
 * each writes {@code <result>.ready} once its JVM runs and waits for a file {@code go} in the same
 * folder.
 *
 * <p>Result lines: {@code outcome}, {@code stopped=<reason>}, {@code stoppedAt}, the views with their
 * install times, a digest and count per view, a count per view and sender, a count per sender,
 * {@code mark}, {@code deliveredAfterMark}, {@code lastDeliveryBeforeMark} (-1: none),
 * {@code deliveredAfterStop}, {@code errors}.
 *
 * <p>Arguments: {@code configFile nodeId messages messagesPerSecond minView startedAfter resultFile}
 * ({@code messagesPerSecond} 0: as fast as the window allows). The process ends by itself after
 * five minutes if nobody killed it.
 */
public final class FaultMemberMain {
    private static final long RESULT_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(150);
    private static final long LIFETIME_NANOS = TimeUnit.MINUTES.toNanos(5);

    private final Object lock = new Object();
    private final Map<Integer, Long> next = new TreeMap<>();
    private final Map<Integer, long[]> digestByView = new TreeMap<>();
    private final Map<Integer, Map<Integer, Long>> countByViewAndSender = new TreeMap<>();
    private final List<String> viewLines = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private long[] deliveredAt = new long[1024];
    private int delivered;
    private View current;
    private long stoppedAt;

    public static void main(String[] args) throws Exception {
        long began = System.nanoTime();
        GroupConfig config = GroupConfig.load(Path.of(args[0]));
        int me = Integer.parseInt(args[1]);
        int messages = Integer.parseInt(args[2]);
        int perSecond = Integer.parseInt(args[3]);
        int minView = Integer.parseInt(args[4]);
        int startedAfter = Integer.parseInt(args[5]);
        Path result = Path.of(args[6]);
        awaitGo(result);
        new FaultMemberMain().run(config, me, messages, perSecond, minView, startedAfter, result);
        long left = LIFETIME_NANOS - (System.nanoTime() - began);
        // Keeps the node serving its peers until the test kills it; bounded so no process outlives a lost test.
        if (left > 0) {
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(left));
        }
        Runtime.getRuntime().halt(3);
    }

    /**
     * Writes {@code <result>.ready} and waits (at most a minute) for the file {@code go} next to it,
     * so that all members start their nodes together, whatever their JVMs took to start.
     */
    private static void awaitGo(Path result) throws IOException, InterruptedException {
        Files.writeString(sibling(result, ".ready"), "ready\n");
        Path go = result.resolveSibling("go");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!Files.exists(go)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + go + " after a minute");
            }
            Thread.sleep(5);
        }
    }

    private void run(GroupConfig config, int me, int messages, int perSecond, int minView, int startedAfter, Path result)
            throws Exception {
        int shardKey = 0;
        ViewListener views = new ViewListener() {
            @Override
            public void onViewInstalled(View view) {
                long at = System.nanoTime();
                synchronized (lock) {
                    current = view;
                    viewLines.add("view " + view.id() + " " + Arrays.toString(view.members()) + " at " + at);
                    lock.notifyAll();
                }
                try {
                    Files.writeString(sibling(result, ".view-" + view.id()), Arrays.toString(view.members()) + " at " + at + "\n");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public void onStopped(String reason) {
                synchronized (lock) {
                    stoppedAt = System.nanoTime();
                    lock.notifyAll();
                }
            }
        };
        try (DerechoNode node = DerechoNode.start(config, me, (sg, shard, sender, index, payload, version) -> {
            long at = System.nanoTime();
            ByteBuffer p = payload.duplicate();
            int from = p.getInt(p.position());
            long seq = p.getLong(p.position() + 4);
            int viewId = (int) (version >>> 32);
            boolean intact = Payloads.crc(payload) == Payloads.crc(
                    ByteBuffer.wrap(ViewChangeMemberMain.payloadOf(payload.remaining(), shardKey, sender, seq)));
            synchronized (lock) {
                long want = next.getOrDefault(sender, 0L);
                if (from != sender || seq != want) {
                    errors.add("from " + sender + ": got " + from + "#" + seq + " when #" + want + " was next");
                }
                if (!intact) {
                    errors.add("message " + sender + "#" + seq + " corrupted");
                }
                next.put(sender, seq + 1);
                long[] d = digestByView.computeIfAbsent(viewId, v -> new long[] {1469598103934665603L, 0});
                d[0] = (d[0] ^ (sender * 1_000_003L + seq)) * 1099511628211L;
                d[1]++;
                countByViewAndSender.computeIfAbsent(viewId, v -> new TreeMap<>()).merge(sender, 1L, Long::sum);
                if (delivered == deliveredAt.length) {
                    deliveredAt = Arrays.copyOf(deliveredAt, delivered * 2);
                }
                deliveredAt[delivered++] = at;
                lock.notifyAll();
            }
        }, MembershipSettings.defaults(), views)) {
            node.awaitReady(Duration.ofSeconds(60));
            GroupSender out = node.sender(0, 0);
            Thread sender = Thread.ofPlatform().daemon().start(() -> send(out, me, messages, perSecond, shardKey));
            String outcome = awaitOutcome(node, messages, minView, startedAfter, result);
            write(result, outcome, node.stoppedReason());
            sender.join(1000);
            // Stay in the group until the test kills this process: leaving now (closing the node leaves
            // cleanly) would change the view under the members that are still finishing.
            new java.util.concurrent.CountDownLatch(1).await();
        }
    }

    private static void send(GroupSender out, int me, int messages, int perSecond, int shardKey) {
        long start = System.nanoTime();
        try {
            for (long i = 0; i < messages; i++) {
                if (perSecond > 0) {
                    long due = start + i * 1_000_000_000L / perSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                out.sendOwned(ViewChangeMemberMain.payloadOf(64 + (int) (i % 200), shardKey, me, i));
            }
        } catch (InterruptedException | IllegalStateException e) {
            // the node stopped: nothing more to send
        }
    }

    private String awaitOutcome(DerechoNode node, int messages, int minView, int startedAfter, Path result) throws Exception {
        long deadline = System.nanoTime() + RESULT_DEADLINE_NANOS;
        boolean startedMarked = false;
        synchronized (lock) {
            while (true) {
                if (!startedMarked && delivered >= startedAfter) {
                    Files.writeString(sibling(result, ".started"), "started\n");
                    startedMarked = true;
                }
                if (node.stoppedReason() != null) {
                    break;
                }
                View v = current;
                if (v != null && v.id() >= minView) {
                    boolean done = true;
                    for (int m : v.members()) {
                        done &= next.getOrDefault(m, 0L) == messages;
                    }
                    if (done) {
                        return "done";
                    }
                }
                if (System.nanoTime() > deadline) {
                    return "timeout";
                }
                lock.wait(100);
            }
            // Batches handed to the delivery thread before the stop may still be running: let them drain.
            long quietSince = System.nanoTime();
            int seen = delivered;
            long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(300) && System.nanoTime() < drainDeadline) {
                lock.wait(50);
                if (delivered != seen) {
                    seen = delivered;
                    quietSince = System.nanoTime();
                }
            }
            return "stopped";
        }
    }

    private void write(Path result, String outcome, String stoppedReason) throws IOException {
        Path markFile = sibling(result, ".mark");
        Long mark = Files.exists(markFile) ? Long.valueOf(Files.readString(markFile).trim()) : null;
        StringBuilder b = new StringBuilder();
        synchronized (lock) {
            b.append("outcome ").append(outcome).append('\n');
            b.append("stopped=").append(stoppedReason).append('\n');
            if (stoppedReason != null) {
                b.append("stoppedAt ").append(stoppedAt).append('\n');
            }
            viewLines.forEach(l -> b.append(l).append('\n'));
            digestByView.forEach((v, d) -> b.append("digest ").append(v).append(' ').append(Long.toHexString(d[0]))
                    .append(" count ").append(d[1]).append('\n'));
            countByViewAndSender.forEach((v, bySender) -> bySender.forEach((s, c) ->
                    b.append("viewsender ").append(v).append(' ').append(s).append(" count ").append(c).append('\n')));
            next.forEach((s, c) -> b.append("sender ").append(s).append(" count ").append(c).append('\n'));
            b.append("mark ").append(mark == null ? "none" : mark).append('\n');
            if (mark != null) {
                b.append("deliveredAfterMark ").append(countAfter(mark)).append('\n');
                b.append("lastDeliveryBeforeMark ").append(lastAtOrBefore(mark)).append('\n');
            }
            if (stoppedReason != null) {
                b.append("deliveredAfterStop ").append(countAfter(stoppedAt)).append('\n');
            }
            b.append("errors ").append(errors.size()).append(errors.isEmpty() ? "" : " first " + errors.get(0)).append('\n');
        }
        Path tmp = sibling(result, ".tmp");
        Files.writeString(tmp, b);
        Files.move(tmp, result);
    }

    private int countAfter(long instant) {
        int c = 0;
        for (int i = 0; i < delivered; i++) {
            c += deliveredAt[i] > instant ? 1 : 0;
        }
        return c;
    }

    private long lastAtOrBefore(long instant) {
        long last = -1;
        for (int i = 0; i < delivered; i++) {
            last = deliveredAt[i] <= instant ? Math.max(last, deliveredAt[i]) : last;
        }
        return last;
    }

    private static Path sibling(Path result, String suffix) {
        return result.resolveSibling(result.getFileName() + suffix);
    }
}
