package io.derecho.bench.viewchange;

import io.derecho.config.GroupConfig;
import io.derecho.membership.GroupSender;
import io.derecho.layout.LayoutSpec;
import io.derecho.membership.LayoutPolicy;
import io.derecho.membership.ViewListener;
import io.derecho.runtime.DerechoNode;
import io.derecho.runtime.NodeOptions;
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
 * <p>With {@code dynamic}, shards come from a layout (one shard of every member) so that a joiner
 * gets a place; with {@code join <port>}, the member is a new node that joins the running group and
 * prints {@code RESULT asked=<nanos> requested=<nanos> ready=<nanos> firstDelivery=<nanos>} instead:
 * when it started the node, sent its first join request, was ready, and delivered first.
 *
 * <p>Arguments: {@code configFile nodeId [dynamic | join <port>]}.
 */
public final class ViewChangeMember {

    public static void main(String[] args) throws Exception {
        GroupConfig config = GroupConfig.load(Path.of(args[0]));
        int me = Integer.parseInt(args[1]);
        boolean join = args.length > 3 && args[2].equals("join");
        NodeOptions options = NodeOptions.defaults();
        if (args.length > 2) {
            options = options.layouts(LayoutPolicy.of(LayoutSpec.builder().subgroup("all", sg -> sg.shards(1).members(1, 64)).build()));
        }
        if (join) {
            options = options.joining().listenAt("127.0.0.1", Integer.parseInt(args[3]));
        }
        long[] lastOld = {0};
        long[] firstNew = {0};
        long[] installed = {0};
        long[] count = {0};
        Object lock = new Object();
        long asked = System.nanoTime();
        long[] requested = {0};
        ViewListener views = new ViewListener() {
            @Override
            public void onViewInstalled(io.derecho.membership.View view) {
                if (view.id() == 1 || join) {
                    synchronized (lock) {
                        installed[0] = System.nanoTime();
                        lock.notifyAll();
                    }
                }
            }

            @Override
            public void onJoinProgress(String message) {
                synchronized (lock) {
                    if (requested[0] == 0) {
                        requested[0] = System.nanoTime(); // the first join request goes out now
                    }
                }
            }
        };
        try (DerechoNode node = DerechoNode.start(config, me, (sg, shard, sender, index, payload, version) -> {
            long now = System.nanoTime();
            synchronized (lock) {
                count[0]++;
                if (join) {
                    firstNew[0] = firstNew[0] == 0 ? now : firstNew[0];
                } else if ((version >>> 32) == 0) {
                    lastOld[0] = now;
                } else if (firstNew[0] == 0) {
                    firstNew[0] = now;
                }
            }
        }, options.viewListener(views))) {
            node.awaitReady(Duration.ofSeconds(60));
            long readyAt = System.nanoTime();
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
                System.out.println(join ? "RESULT asked=" + asked + " requested=" + requested[0] + " ready=" + readyAt
                        + " firstDelivery=" + firstNew[0]
                        : "RESULT installed=" + installed[0] + " lastOld=" + lastOld[0] + " firstNew=" + firstNew[0]);
                System.out.flush();
            }
            sender.interrupt();
            System.in.read();
        }
    }
}
