package io.derecho.object;

import io.derecho.codec.BinaryCodec;
import io.derecho.codec.Codec;
import io.derecho.config.GroupConfig;
import io.derecho.membership.NodeStatus;
import io.derecho.membership.View;
import io.derecho.membership.ViewListener;
import io.derecho.multicast.ShardLayout;
import io.derecho.runtime.DerechoNode;
import io.derecho.runtime.NodeOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A member of a group with replicated objects: the node (membership, multicast) plus the objects
 * of the subgroups it serves and the RPC among them.
 *
 * <pre>{@code
 * try (Group group = Group.builder(config, myId)
 *         .replicate(Counter.class, "counters", Counter::new)
 *         .start()) {
 *     group.awaitReady(Duration.ofSeconds(30));
 *     Replicated<Counter> counter = group.replicated(Counter.class);
 *     long value = counter.ordered(Call.of(Counter::add, 1L)).get();
 * }
 * }</pre>
 */
public final class Group implements AutoCloseable {
    private final DerechoNode node;
    private final ReplicaHost host;
    private final ExecutorService queries;
    private final ExecutorService completions;

    private final ClientGateway clients;
    private final GroupStatistics statistics;

    private Group(DerechoNode node, ReplicaHost host, ClientGateway clients, ExecutorService queries,
                  ExecutorService completions, GroupStatistics statistics) {
        this.node = node;
        this.statistics = statistics;
        this.clients = clients;
        this.host = host;
        this.queries = queries;
        this.completions = completions;
    }

    public static Builder builder(GroupConfig config, int nodeId) {
        return new Builder(config, nodeId);
    }

    /** Registers the replicated types, then starts (or joins, with {@link NodeOptions#joining()}) the group. */
    public static final class Builder {
        private final GroupConfig config;
        private final int nodeId;
        private final List<Runnable> registrations = new ArrayList<>();
        private NodeOptions options = NodeOptions.defaults();
        private Codec codec = BinaryCodec.create();
        private ReplicaHost host;

        private Builder(GroupConfig config, int nodeId) {
            this.config = config;
            this.nodeId = nodeId;
        }

        /** How the node takes part (join or initial member, listen address, layout, settings, view listener). */
        public Builder options(NodeOptions o) {
            this.options = o;
            return this;
        }

        /** The codec of arguments, replies and snapshots (default: {@link BinaryCodec}). */
        public Builder codec(Codec c) {
            this.codec = c;
            return this;
        }

        /** Makes {@code type} the type of subgroup {@code subgroup}; each shard of it here holds one {@code factory} instance. */
        public <T> Builder replicate(Class<T> type, String subgroup, Supplier<? extends T> factory) {
            registrations.add(() -> host.register(type, subgroup, factory));
            return this;
        }

        public Group start() {
            ExecutorService queries = Executors.newFixedThreadPool(2, daemon("derecho-queries-" + nodeId));
            ExecutorService completions = Executors.newCachedThreadPool(daemon("derecho-replies-" + nodeId));
            DerechoNode[] holder = new DerechoNode[1];
            GroupStatistics stats = new GroupStatistics();
            host = new ReplicaHost(new ReplicaHost.Port() {
                @Override
                public int nodeId() {
                    return nodeId;
                }

                @Override
                public void send(int subgroup, int shard, byte[] message) throws InterruptedException {
                    int length = message.length;
                    holder[0].sender(subgroup, shard).sendOwned(message);
                    stats.messagesSent.increment();
                    stats.bytesSent.add(length);
                }

                @Override
                public void sendP2P(int to, byte[] message) {
                    holder[0].sendP2P(to, message);
                }
            }, codec, queries, completions);
            registrations.forEach(Runnable::run);
            ClientGateway gateway = new ClientGateway(host);
            ViewListener user = options.viewListener();
            NodeOptions o = options.state(host.stateTransfer()).p2pListener(host::onP2P).viewListener(new ViewListener() {
                @Override
                public void beforeViewStarts(View view) {
                    host.beforeViewStarts(view);
                    user.beforeViewStarts(view);
                }

                @Override
                public void onViewInstalled(View view) {
                    stats.viewsInstalled.increment();
                    gateway.onView(view);
                    user.onViewInstalled(view);
                }

                @Override
                public void onStateReceived(ShardLayout shard, int donor, long bytes, int chunks) {
                    user.onStateReceived(shard, donor, bytes, chunks);
                }

                @Override
                public void onStopped(String reason) {
                    host.onStopped(reason);
                    user.onStopped(reason);
                }

                @Override
                public void onJoinProgress(String message) {
                    user.onJoinProgress(message);
                }

                @Override
                public void onFailureSuspected(int nodeId) {
                    stats.failuresSuspected.increment();
                    user.onFailureSuspected(nodeId);
                }
            });
            ReplicaHost h = host;
            holder[0] = DerechoNode.start(config, nodeId,
                    (subgroup, shard, sender, index, payload, version) -> {
                        stats.messagesDelivered.increment();
                        stats.bytesDelivered.add(payload.remaining());
                        h.onDelivery(subgroup, shard, sender, payload, version);
                    },
                    o);
            holder[0].clientSessions(gateway);
            return new Group(holder[0], host, gateway, queries, completions, stats);
        }

        private static java.util.concurrent.ThreadFactory daemon(String name) {
            return r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            };
        }
    }

    /** Waits until the node takes part (see {@link DerechoNode#awaitReady}). */
    public void awaitReady(Duration timeout) throws InterruptedException, TimeoutException {
        node.awaitReady(timeout);
    }

    /**
     * This node's shard of {@code type}'s subgroup in the current view.
     *
     * @throws IllegalStateException if this node serves no shard of it (use {@link #peers})
     */
    public <T> Replicated<T> replicated(Class<T> type) {
        String subgroup = host.subgroupOf(type);
        View v = node.view();
        if (v != null) {
            for (ShardLayout s : v.layout().shards()) {
                if (s.subgroupName().equals(subgroup) && s.hasMember(node.nodeId())) {
                    return new Replicated<>(host, type, s.subgroup(), s.shard());
                }
            }
        }
        throw new IllegalStateException("node " + node.nodeId() + " serves no shard of subgroup " + subgroup + " in "
                + (v == null ? "any view yet" : v) + "; call it through peers(" + type.getSimpleName() + ".class)");
    }

    /** Calls into any shard of {@code type}'s subgroup, as a member of it or not. */
    public <T> PeerCaller<T> peers(Class<T> type) {
        return new PeerCaller<>(host, type);
    }

    /**
     * Pushes {@code payload} to the external clients connected to this member that subscribed to
     * {@code topic} ({@link ExternalClient#subscribe}); returns how many. Callable from handlers.
     */
    public int notifyClients(String topic, byte[] payload) {
        return clients.notify(topic, payload);
    }

    /** External clients connected to this member. */
    public int connectedClients() {
        return clients.clients();
    }

    public int nodeId() {
        return node.nodeId();
    }

    public View view() {
        return node.view();
    }

    /** The shards this node serves in the current view. */
    public List<ShardLayout> myShards() {
        return node.myShards();
    }

    /** Messages, bytes, views and failures this member counted since it started. */
    public GroupStatistics statistics() {
        return statistics;
    }

    /** This node's view of the group now (view, pending changes, suspicions, shard frontiers). */
    public NodeStatus status() {
        return node.status();
    }

    /** The node underneath (membership, raw multicast, diagnostics). */
    public DerechoNode node() {
        return node;
    }

    /** The replicated objects underneath (diagnostics and tests). */
    public ReplicaHost host() {
        return host;
    }

    /** Leaves the group cleanly and stops. */
    @Override
    public void close() {
        node.close();
        queries.shutdownNow();
        completions.shutdown();
        try {
            completions.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
