package io.derecho.testing;

import io.derecho.membership.JoinMessages;
import io.derecho.membership.JoinResponder;
import io.derecho.membership.JoinTransport;
import io.derecho.membership.ViewManager;
import io.derecho.sim.SimNode;
import io.derecho.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Join connections in the simulator: a joiner's request reaches the member listening at an
 * address after a network delay, replies come back the same way, and a crash or a cut closes the
 * connection (a reset, or a timeout across a partition). Requests and replies go through the binary
 * codec, as over TCP.
 */
public final class SimJoinNetwork {
    private static final long TIMEOUT_NANOS = 1_000_000_000L;

    private final Simulation sim;
    private final Map<String, Integer> nodeAt;
    private final IntFunction<SimNode> node;
    private final IntFunction<ViewManager> manager;
    private final List<Connection> open = new ArrayList<>();

    public SimJoinNetwork(Simulation sim, Map<String, Integer> nodeAt, IntFunction<SimNode> node,
                          IntFunction<ViewManager> manager) {
        this.sim = sim;
        this.nodeAt = nodeAt;
        this.node = node;
        this.manager = manager;
    }

    /** The transport of joiner {@code joinerId}'s current incarnation. */
    public JoinTransport transportFor(int joinerId) {
        SimNode joiner = node.apply(joinerId);
        return (address, request, onReply, onClosed) -> {
            Integer target = nodeAt.get(address);
            Connection c = new Connection(joiner, target == null ? -1 : target, onReply, onClosed);
            byte[] wire = JoinMessages.encode(request);
            SimNode member = target == null ? null : node.apply(target);
            if (member == null || member.crashed() || sim.linkCut(joinerId, target)) {
                c.closeTowardsJoiner(member == null || member.crashed() ? "connection refused" : "connect timed out",
                        member == null || member.crashed() ? latency() : TIMEOUT_NANOS);
                return c;
            }
            open.add(c);
            c.member = member;
            sim.after(latency(), () -> member.execute(() -> {
                ViewManager vm = manager.apply(target);
                if (c.open && node.apply(target) == member) {
                    vm.onJoinRequest(JoinMessages.decodeRequest(wire), c);
                }
            }));
            return c;
        };
    }

    /** A node crashed: its connections break (the other side sees a reset). */
    public void crashed(int nodeId) {
        for (Connection c : List.copyOf(open)) {
            if (c.memberId == nodeId) {
                c.closeTowardsJoiner("connection reset", latency());
            } else if (c.joiner.nodeId() == nodeId) {
                c.open = false;
                open.remove(c);
            }
        }
    }

    /** Frames between {@code a} and {@code b} are lost from now on: connections across time out. */
    public void cut(int a, int b) {
        for (Connection c : List.copyOf(open)) {
            if ((c.memberId == a && c.joiner.nodeId() == b) || (c.memberId == b && c.joiner.nodeId() == a)) {
                c.closeTowardsJoiner("timed out", TIMEOUT_NANOS);
            }
        }
    }

    private long latency() {
        var m = sim.network();
        return m.minLatencyNanos() + (long) (sim.random().nextDouble() * (m.maxLatencyNanos() - m.minLatencyNanos()));
    }

    private final class Connection implements JoinResponder, JoinTransport.Attempt {
        final SimNode joiner;
        final int memberId;
        final Consumer<JoinMessages.Reply> onReply;
        final Consumer<String> onClosed;
        SimNode member;
        boolean open = true;
        boolean cancelled;
        boolean closeReported;

        Connection(SimNode joiner, int memberId, Consumer<JoinMessages.Reply> onReply, Consumer<String> onClosed) {
            this.joiner = joiner;
            this.memberId = memberId;
            this.onReply = onReply;
            this.onClosed = onClosed;
        }

        @Override
        public void reply(JoinMessages.Reply reply, boolean last) {
            if (!open) {
                return;
            }
            if (last) {
                open = false;
                SimJoinNetwork.this.open.remove(this);
            }
            byte[] wire = JoinMessages.encode(reply);
            if (sim.linkCut(memberId, joiner.nodeId())) {
                return; // lost; the joiner times out when the cut is noticed
            }
            sim.after(latency(), () -> joiner.execute(() -> {
                if (!cancelled) {
                    onReply.accept(JoinMessages.decodeReply(wire));
                    if (last) {
                        reportClosed("closed");
                    }
                }
            }));
        }

        @Override
        public boolean isOpen() {
            return open && !joiner.crashed();
        }

        @Override
        public void cancel() {
            cancelled = true;
            open = false;
            SimJoinNetwork.this.open.remove(this);
        }

        void closeTowardsJoiner(String reason, long after) {
            open = false;
            SimJoinNetwork.this.open.remove(this);
            sim.after(after, () -> joiner.execute(() -> {
                if (!cancelled) {
                    reportClosed(reason);
                }
            }));
        }

        private void reportClosed(String reason) {
            if (!closeReported) {
                closeReported = true;
                onClosed.accept(reason);
            }
        }
    }
}
