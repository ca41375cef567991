package io.derecho.bench.derecho;

import io.derecho.bench.BenchConfig;
import io.derecho.bench.group.DeliveryTracker;
import io.derecho.bench.group.GroupTransport;
import io.derecho.bench.group.MemberContext;
import io.derecho.bench.group.PayloadSink;
import io.derecho.bench.launch.MemberArgs;
import io.derecho.config.BlockScheduleKind;
import io.derecho.config.GroupConfig;
import io.derecho.config.Mode;
import io.derecho.config.Profile;
import io.derecho.config.ShardSpec;
import io.derecho.membership.GroupSender;
import io.derecho.runtime.DerechoNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A Derecho member for the benchmark: one subgroup with one shard holding every member; the
 * configuration's senders are the shard's senders; ORDERED or UNORDERED as asked.
 *
 * <p>Member arguments: {@code ports} (every member's port, by rank) and optional {@code
 * dr.window} (slots per sender ring), {@code dr.maxSmc} (largest message on the slot path),
 * {@code dr.blockSize} and {@code dr.schedule} (block path).
 */
public final class DerechoTransport implements GroupTransport {
    private DerechoNode node;
    private GroupSender sender;
    private String note = "";

    /** The static group the benchmark runs: members 0..n-1 on the given loopback ports. */
    static GroupConfig groupConfig(BenchConfig cfg, MemberArgs a) {
        List<Integer> ports = a.getIntList("ports");
        Profile d = Profile.defaults();
        int maxSmc = a.getInt("dr.maxSmc", Math.max(d.maxSmcPayload(), cfg.sizeBytes() <= 16 * 1024 ? cfg.sizeBytes() : 0));
        int blockSize = a.getInt("dr.blockSize", d.blockSize());
        Profile p = new Profile("bench", a.getInt("dr.window", d.window()), maxSmc,
                Math.max(d.maxPayload(), cfg.sizeBytes()), blockSize, a.getInt("dr.largeWindow", d.largeWindow()),
                BlockScheduleKind.valueOf(a.get("dr.schedule", d.schedule().name())));
        GroupConfig.Builder b = GroupConfig.builder("bench").profile(p);
        List<Integer> members = new ArrayList<>();
        List<Integer> senders = new ArrayList<>();
        for (int r = 0; r < cfg.nodes(); r++) {
            b.member(r, "127.0.0.1", ports.get(r));
            members.add(r);
            if (cfg.isSender(r)) {
                senders.add(r);
            }
        }
        b.subgroup("bench", new ShardSpec(members, senders, cfg.ordered() ? Mode.ORDERED : Mode.UNORDERED, "bench"));
        return b.build();
    }

    @Override
    public void join(MemberContext ctx, PayloadSink sink) throws Exception {
        GroupConfig config = groupConfig(ctx.cfg(), ctx.args());
        DeliveryTracker tracker = sink instanceof DeliveryTracker t ? t : null;
        node = DerechoNode.start(config, ctx.rank(), (sg, shard, from, index, payload, version) -> {
            if (tracker != null) {
                tracker.deliver(payload);
            } else {
                byte[] copy = new byte[payload.remaining()];
                payload.duplicate().get(copy);
                sink.deliver(copy, 0, copy.length);
            }
        });
        ctx.event("listening");
        node.awaitReady(ctx.remaining());
        if (ctx.cfg().isSender(ctx.rank())) {
            sender = node.sender(0, 0);
        }
        Profile p = config.profile("bench");
        note = "window=" + p.window() + " maxSmc=" + p.maxSmcPayload() + " block=" + p.blockSize() + " " + p.schedule();
    }

    @Override
    public void multicast(byte[] payload) throws Exception {
        sender.sendOwned(payload);
    }

    @Override
    public String note() {
        return note;
    }

    @Override
    public void close() {
        if (node != null) {
            node.close();
        }
    }
}
