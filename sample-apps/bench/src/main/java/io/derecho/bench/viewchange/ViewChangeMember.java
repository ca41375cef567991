package io.derecho.bench.viewchange;

import io.derecho.config.GroupConfig;
import io.derecho.membership.GroupSender;
import io.derecho.membership.MembershipSettings;
import io.derecho.membership.ViewListener;
import io.derecho.runtime.DerechoNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A member for the view-change benchmark: multicasts 256-byte messages as fast as the window allows
 * and, once it has installed view 1 and kept going for a second, prints one line
 * {@code RESULT installed=<nanos> lastOld=<nanos> firstNew=<nanos>}: when view 1 was installed, the
 * last delivery of view 0 and the first of view 1 ({@code System.nanoTime()}, comparable across
 * processes of one machine). Prints {@code READY} once traffic flows.
 *
 * <p>Arguments: {@code configFile nodeId}.
 */
public final class ViewChangeMember {

    public static void main(String[] args) throws Exception {
        GroupConfig config = GroupConfig.load(Path.of(args[0]));
        int me = Integer.parseInt(args[1]);
        long[] lastOld = {0};
        long[] firstNew = {0};
        long[] installed = {0};
        long[] count = {0};
        Object lock = new Object();
        ViewListener views = view -> {
            if (view.id() == 1) {
                synchronized (lock) {
                    installed[0] = System.nanoTime();
                    lock.notifyAll();
                }
            }
        };
        try (DerechoNode node = DerechoNode.start(config, me, (sg, shard, sender, index, payload, version) -> {
            long now = System.nanoTime();
            synchronized (lock) {
                count[0]++;
                if ((version >>> 32) == 0) {
                    lastOld[0] = now;
                } else if (firstNew[0] == 0) {
                    firstNew[0] = now;
                }
            }
        }, MembershipSettings.defaults(), views)) {
            node.awaitReady(Duration.ofSeconds(60));
            GroupSender out = node.sender(0, 0);
            Thread sender = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        out.send(256, b -> b.putLong(System.nanoTime()));
                    }
                } catch (InterruptedException | IllegalStateException e) {
                    // stopped
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            synchronized (lock) {
                while (count[0] < 1000 && System.nanoTime() < deadline) {
                    lock.wait(10);
                }
                System.out.println("READY");
                System.out.flush();
                while (installed[0] == 0 && System.nanoTime() < deadline) {
                    lock.wait(10);
                }
            }
            Thread.sleep(1000);
            synchronized (lock) {
                System.out.println("RESULT installed=" + installed[0] + " lastOld=" + lastOld[0] + " firstNew=" + firstNew[0]);
                System.out.flush();
            }
            sender.interrupt();
            System.in.read();
        }
    }
}
