package io.derecho.runtime;

import io.derecho.config.GroupConfig;
import io.derecho.config.MemberSpec;
import io.derecho.fabric.Environment;
import io.derecho.fabric.InboundHandler;
import io.derecho.fabric.Outbound;
import io.derecho.fabric.tcp.TcpFabric;
import io.derecho.fabric.tcp.TcpFabricConfig;
import io.derecho.multicast.DeliveryBatch;
import io.derecho.fabric.tcp.JoinAttempt;
import io.derecho.fabric.tcp.JoinChannel;
import io.derecho.membership.GroupSender;
import io.derecho.membership.JoinMessages;
import io.derecho.membership.JoinResponder;
import io.derecho.membership.JoinTransport;
import io.derecho.membership.MemberSetup;
import io.derecho.membership.MembershipSettings;
import io.derecho.membership.NodeStatus;
import io.derecho.membership.View;
import io.derecho.membership.ViewListener;
import io.derecho.membership.ViewManager;
import io.derecho.multicast.DeliveryListener;
import io.derecho.multicast.GroupLayout;
import io.derecho.multicast.MessageTooLargeException;
import io.derecho.multicast.ShardLayout;
import io.derecho.sst.MalformedFrameException;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of a statically configured group, running for real: a Netty event loop that is both
 * the node's I/O thread and its protocol loop, the TCP fabric, the multicast core, and a delivery
 * thread that calls the application's {@link DeliveryListener} off the loop.
 *
 * <pre>{@code
 * try (DerechoNode node = DerechoNode.start(config, myId, (sg, shard, sender, index, payload, version) -> ...)) {
 *     node.awaitReady(Duration.ofSeconds(30));
 *     node.sender(0, 0).send(bytes);
 * }
 * }</pre>
 */
public final class DerechoNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DerechoNode.class);

    private final GroupConfig config;
    private final int myNodeId;
    private final EventLoopGroup loopGroup;
    private final EventLoop loop;
    private final ExecutorService deliveryThread;
    private final TcpFabric fabric;
    private final ViewManager views;
    private final DeliveryListener listener;
    private final ViewListener viewListener;
    private final NodeOptions options;
    private volatile String lastJoinProgress;
    private volatile ClientSession.Listener clientListener;
    private final List<String> protocolErrors = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final java.util.concurrent.CountDownLatch stoppedLatch = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean closed;

    private DerechoNode(GroupConfig config, int myNodeId, DeliveryListener listener, NodeOptions options) {
        this.config = config;
        this.myNodeId = myNodeId;
        this.listener = listener;
        this.options = options;
        this.viewListener = options.viewListener();
        InetSocketAddress listenAt = listenAddress(config, myNodeId, options);
        String myAddress = listenAt.getHostString() + ":" + listenAt.getPort();
        MemberSetup setup = MemberSetup.of(config, myNodeId).withAddress(myAddress).withSettings(options.settings())
                .withState(options.state());
        if (options.layouts() != null) {
            setup = setup.withLayouts(options.layouts());
        }
        this.loopGroup = TcpFabric.newLoopGroup("derecho-loop-" + myNodeId);
        this.loop = loopGroup.next();
        this.deliveryThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "derecho-delivery-" + myNodeId);
            t.setDaemon(true);
            return t;
        });
        Map<Integer, InetSocketAddress> peers = options.join() ? Map.of() : config.members().stream()
                .filter(m -> m.id() != myNodeId)
                .collect(Collectors.toMap(MemberSpec::id, m -> new InetSocketAddress(m.host(), m.port())));
        int maxFrame = options.join() ? GroupLayout.MIN_MAX_FRAME_BYTES : GroupLayout.fromConfig(config).maxFrameBytes();
        this.fabric = new TcpFabric(new TcpFabricConfig(config.groupName(), myNodeId, listenAt, peers,
                Math.max(maxFrame, GroupLayout.MIN_MAX_FRAME_BYTES)), loop, new GuardedInbound());
        this.views = new ViewManager(setup, !options.join(), new LoopEnvironment(), this::deliver, new NodeViews());
        fabric.joinService(this::onJoinRequest);
    }

    /** Creates an initial member of {@code config}, binds its port and starts connecting to the others. */
    public static DerechoNode start(GroupConfig config, int myNodeId, DeliveryListener listener) {
        return start(config, myNodeId, listener, NodeOptions.defaults());
    }

    /** As {@link #start(GroupConfig, int, DeliveryListener)}, with failure-detection settings and a view listener. */
    public static DerechoNode start(GroupConfig config, int myNodeId, DeliveryListener listener,
                                    MembershipSettings settings, ViewListener viewListener) {
        return start(config, myNodeId, listener, NodeOptions.defaults().settings(settings).viewListener(viewListener));
    }

    /**
     * Starts a node: an initial member forms view 0 with the other configured members once every
     * link is up; a joiner ({@link NodeOptions#joining()}) asks the configured members to let it in
     * and is ready once it has its first view and its state.
     */
    public static DerechoNode start(GroupConfig config, int myNodeId, DeliveryListener listener, NodeOptions options) {
        DerechoNode node = new DerechoNode(config, myNodeId, listener, options);
        try {
            node.fabric.start();
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        if (options.join()) {
            List<String> contacts = config.members().stream().filter(m -> m.id() != myNodeId)
                    .map(MemberSetup::address).toList();
            node.loop.execute(() -> {
                node.fabric.acceptAnyPeer(true);
                node.views.join(node.new TcpJoinTransport(), contacts, options.joinTimeout().toMillis());
            });
        } else {
            node.fabric.allConnected().thenRun(() -> node.loop.execute(() -> {
                node.views.start();
                node.ready.complete(null);
            }));
        }
        return node;
    }

    private static InetSocketAddress listenAddress(GroupConfig config, int myNodeId, NodeOptions options) {
        if (options.listenHost() != null) {
            return new InetSocketAddress(options.listenHost(), options.listenPort());
        }
        MemberSpec me = config.member(myNodeId).orElseThrow(() -> new IllegalArgumentException(
                "node id " + myNodeId + " is not a member of group '" + config.groupName() + "' (members are "
                        + config.members().stream().map(m -> String.valueOf(m.id())).collect(Collectors.joining(", "))
                        + "); a node that is not configured must join with a listen address"));
        return new InetSocketAddress(me.host(), me.port());
    }

    /** {@code host:port} (or {@code [v6]:port}) to a socket address. */
    static InetSocketAddress parseAddress(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not a host:port address: " + address);
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(host, Integer.parseInt(address.substring(colon + 1)));
    }

    /** A join request arrived on this node's port (event loop). */
    private void onJoinRequest(byte[] payload, JoinChannel channel) {
        if (payload.length > 0 && payload[0] == ClientSession.HELLO) {
            openClientSession(payload, channel);
            return;
        }
        JoinMessages.Request request;
        try {
            request = JoinMessages.decodeRequest(payload);
        } catch (IllegalArgumentException e) {
            LOG.warn("node {}: {} from {}", myNodeId, e.getMessage(), channel.remote());
            channel.reply(JoinMessages.encode(new JoinMessages.Refused(false, e.getMessage())), true);
            return;
        }
        LOG.info("node {}: join request from node {} at {}", myNodeId, request.nodeId(), request.address());
        views.onJoinRequest(request, new JoinResponder() {
            @Override
            public void reply(JoinMessages.Reply reply, boolean last) {
                channel.reply(JoinMessages.encode(reply), last);
            }

            @Override
            public boolean isOpen() {
                return channel.isOpen();
            }
        });
    }

    /**
     * Takes client sessions (external clients) arriving at this node's port: without a listener
     * they are refused.
     */
    public void clientSessions(ClientSession.Listener listener) {
        this.clientListener = listener;
    }

    private void openClientSession(byte[] hello, JoinChannel channel) {
        ClientSession.Listener l = clientListener;
        if (l == null) {
            channel.reply(new byte[0], true);
            LOG.warn("node {}: refused a client session from {}: this node serves no clients", myNodeId, channel.remote());
            return;
        }
        ClientSession session = new ClientSession() {
            @Override
            public void send(byte[] message) {
                channel.reply(message, false);
            }

            @Override
            public boolean isOpen() {
                return channel.isOpen();
            }

            @Override
            public void close() {
                channel.reply(new byte[0], true);
            }

            @Override
            public String remote() {
                return channel.remote();
            }
        };
        channel.onMessage(m -> l.onMessage(session, m));
        channel.onClose(() -> l.onClose(session));
        l.onOpen(session, hello);
    }

    /** The joiner's side of join connections, over {@link TcpFabric#join}. */
    private final class TcpJoinTransport implements JoinTransport {
        @Override
        public Attempt connect(String address, JoinMessages.Request request, Consumer<JoinMessages.Reply> onReply,
                               Consumer<String> onClosed) {
            JoinAttempt a = TcpFabric.join(loop, parseAddress(address), config.groupName(), JoinMessages.encode(request),
                    bytes -> {
                        try {
                            onReply.accept(JoinMessages.decodeReply(bytes));
                        } catch (IllegalArgumentException e) {
                            onClosed.accept(e.getMessage());
                        }
                    }, reason -> {
                        if (reason.startsWith("rejected: ")) {
                            // The member refused the connection itself (wrong group, no joins): final.
                            onReply.accept(new JoinMessages.Refused(false, reason.substring(10)));
                        }
                        onClosed.accept(reason);
                    });
            return a::cancel;
        }
    }

    /** The node's side of view changes: links follow the view, logs say what happened. */
    private final class NodeViews implements ViewListener {
        @Override
        public void beforeViewStarts(View view) {
            for (int gone : view.departed()) {
                fabric.forget(gone, "node " + gone + " left " + view);
            }
            boolean iJoined = view.hasJoined(myNodeId);
            for (int i = 0; i < view.members().length; i++) {
                int id = view.members()[i];
                if (id != myNodeId && (iJoined || view.hasJoined(id))) {
                    fabric.addPeer(id, parseAddress(view.addresses()[i]));
                }
            }
            if (iJoined) {
                fabric.acceptAnyPeer(false);
            }
            fabric.setMaxFrameBytes(Math.max(fabric.maxFrameBytes(), view.layout().maxFrameBytes()));
            viewListener.beforeViewStarts(view);
        }

        @Override
        public void onViewInstalled(View view) {
            logView(view);
            if (!views.awaitingState()) {
                ready.complete(null);
            }
            viewListener.onViewInstalled(view);
        }

        @Override
        public void onStateReceived(ShardLayout shard, int donor, long bytes, int chunks) {
            LOG.info("node {} received the state of {}/{} from node {} ({} bytes in {} chunks)", myNodeId,
                    shard.subgroupName(), shard.shard(), donor, bytes, chunks);
            if (!views.awaitingState()) {
                ready.complete(null);
            }
            viewListener.onStateReceived(shard, donor, bytes, chunks);
        }

        @Override
        public void onFailureSuspected(int nodeId) {
            LOG.warn("node {} suspects node {} of having failed; a view without it follows", myNodeId, nodeId);
            viewListener.onFailureSuspected(nodeId);
        }

        @Override
        public void onJoinProgress(String message) {
            lastJoinProgress = message;
            LOG.info("node {} joining group '{}': {}", myNodeId, config.groupName(), message);
            viewListener.onJoinProgress(message);
        }

        @Override
        public void onStopped(String reason) {
            if (reason.contains("left the group cleanly")) {
                LOG.info("{}", reason);
            } else if (!closed) {
                LOG.error("node {} stopped: {}", myNodeId, reason);
            }
            if (!ready.isDone()) {
                ready.completeExceptionally(new IllegalStateException(reason));
            }
            stoppedLatch.countDown();
            viewListener.onStopped(reason);
        }
    }


    /**
     * Waits until the node takes part: an initial member once every member is connected and the
     * multicast has started; a joiner once it is in a view and has received the state of its shards.
     */
    public void awaitReady(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            if (options.join()) {
                throw new TimeoutException("node " + myNodeId + " has not joined group '" + config.groupName()
                        + "' after " + timeout + (lastJoinProgress == null ? "" : "; last heard: " + lastJoinProgress));
            }
            List<Integer> missing = config.members().stream().map(MemberSpec::id)
                    .filter(id -> id != myNodeId && !fabric.connectedPeers().contains(id)).toList();
            StringBuilder why = new StringBuilder("node " + myNodeId + " not ready after " + timeout
                    + ": no link yet to node(s) " + missing);
            for (int id : missing) {
                String err = fabric.lastError(id);
                if (err != null) {
                    why.append("; node ").append(id).append(": ").append(err);
                }
            }
            throw new TimeoutException(why.toString());
        }
    }

    private void logView(View view) {
        LOG.info("node {} installed {} in group '{}' (transport {})", myNodeId, view, config.groupName(),
                fabric.transportName());
        if (!view.adequate()) {
            LOG.warn("node {}: {} is inadequate ({}); the group waits, wedged, for more members to join", myNodeId,
                    view, view.inadequate());
        }
        for (ShardLayout s : view.layout().shards()) {
            if (s.hasMember(myNodeId)) {
                LOG.info("node {} serves {} as {}", myNodeId, s, s.senderRank(myNodeId) >= 0 ? "a sender" : "a receiver");
            }
        }
    }

    public int nodeId() {
        return myNodeId;
    }

    /** The layout of the current view. */
    public GroupLayout layout() {
        return views.view().layout();
    }

    /** The current view. */
    public View view() {
        return views.view();
    }

    /** Why the node stopped (removed from the view, partitioned), or null while it runs. */
    public String stoppedReason() {
        return views.stoppedReason();
    }

    /** The shards this node is a member of in the current view. */
    public List<ShardLayout> myShards() {
        return views.group().myShards();
    }

    /** This node's sender in a shard it may send to; it carries messages across view changes. */
    public GroupSender sender(int subgroup, int shard) {
        return views.sender(subgroup, shard);
    }

    /**
     * This node's view of the group (view, pending changes, suspicions, shard frontiers), read on
     * the protocol loop; when the loop does not answer within a second (busy, or closing) only the
     * view and the reason it stopped, if it did.
     */
    public NodeStatus status() {
        try {
            return loop.submit(views::status).get(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
            // busy or closing: fall through
        }
        // The view alone, rather than calling a running node stopped.
        return new NodeStatus(myNodeId, view(), stoppedReason(), List.of(), List.of(), false, List.of());
    }

    /** The protocol state as this node sees it (view, membership columns, shards), for diagnostics. */
    public String describe() {
        try {
            return loop.submit(views::describe).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
            return "node " + myNodeId + ": no description (" + e + ")";
        }
    }

    /** First byte of a point-to-point frame (the protocol's own frames use 1 to 3). */
    static final byte FRAME_P2P = 4;
    private static final ByteBuffer P2P_HEADER = ByteBuffer.wrap(new byte[] {FRAME_P2P}).asReadOnlyBuffer();
    private final java.util.concurrent.ConcurrentLinkedQueue<Object[]> p2pOut = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean p2pScheduled = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Sends {@code message} to member {@code nodeId} alone (queries, replies): delivered to its
     * {@link P2PListener} once, in order with this node's other messages to it, while both are in
     * the view. Callable from any thread.
     *
     * @throws IllegalArgumentException if the message cannot fit a frame (see {@link #maxP2PBytes()})
     */
    public void sendP2P(int nodeId, byte[] message) {
        if (message.length + 1 > maxP2PBytes()) {
            throw new MessageTooLargeException("point-to-point message of " + message.length + " bytes to node " + nodeId
                    + " exceeds the frame limit of " + (maxP2PBytes() - 1) + " bytes");
        }
        p2pOut.add(new Object[] {nodeId, message});
        if (p2pScheduled.compareAndSet(false, true)) {
            loop.execute(this::drainP2P);
        }
    }

    /** Sends every queued point-to-point message, then flushes once (messages queued together go out together). */
    private void drainP2P() {
        p2pScheduled.set(false);
        Object[] next;
        boolean sent = false;
        while ((next = p2pOut.poll()) != null) {
            int to = (Integer) next[0];
            byte[] message = (byte[]) next[1];
            if (to == myNodeId) {
                onP2P(myNodeId, ByteBuffer.wrap(message));
            } else {
                fabric.send(to, P2P_HEADER.duplicate(), ByteBuffer.wrap(message));
                sent = true;
            }
        }
        if (sent) {
            fabric.flush();
        }
    }

    /** The largest point-to-point message, in bytes (at least 128 KiB; more with larger layouts). */
    public int maxP2PBytes() {
        return fabric.maxFrameBytes();
    }

    private void onP2P(int from, ByteBuffer message) {
        try {
            options.p2pListener().onMessage(from, message);
        } catch (RuntimeException e) {
            LOG.error("node {}: the point-to-point listener failed on a message from node {}", myNodeId, from, e);
        }
    }

    /** Errors seen in frames from peers (each closed the offending link). */
    public List<String> protocolErrors() {
        return List.copyOf(protocolErrors);
    }

    /** Thrown inside a batch to stop delivering it: the node was frozen longer than the suspicion timeout. */
    private static final class Frozen extends RuntimeException {
        Frozen() {
            super(null, null, false, false);
        }
    }

    private void deliver(DeliveryBatch batch) {
        deliveryThread.execute(() -> {
            long limit = views.settings().suspectAfterMillis() * 1_000_000L;
            try {
                batch.deliverTo((subgroup, shard, sender, index, payload, version) -> {
                    // Checked per message: a SIGSTOP (or a long pause) may hit in the middle of a batch, and after
                    // it this node may no longer be in the view: it must not deliver the rest.
                    long tick = views.lastHeartbeatTick();
                    if (tick != 0 && System.nanoTime() - tick > limit) {
                        throw new Frozen();
                    }
                    try {
                        listener.onDelivery(subgroup, shard, sender, index, payload, version);
                    } catch (RuntimeException e) {
                        LOG.error("node {}: the delivery listener threw on message {} of node {}; delivery continues",
                                myNodeId, index, sender, e);
                    }
                });
            } catch (Frozen e) {
                LOG.warn("node {} was frozen longer than the suspicion timeout: it delivers nothing more in {}", myNodeId,
                        views.view());
            }
            loop.execute(() -> batch.group().delivered(batch));
        });
    }

    /** Reports {@code nodeId} as failed: it is removed from the group by the next view change. */
    public void reportFailure(int nodeId) {
        views.reportFailure(nodeId);
    }

    /**
     * Leaves the group cleanly (flushes this node's messages, then the others install a view without
     * it, not counting it as a failure) and stops. Waits at most {@code timeout}; afterwards the node is
     * stopped either way.
     */
    public void leave(Duration timeout) throws InterruptedException {
        if (!ready.isDone() || views.stoppedReason() != null) {
            return;
        }
        views.leave();
        stoppedLatch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Leaves the group cleanly if it can (at most 2 s, not when alone in its view), then releases everything. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        View v = views.view();
        if (v != null && v.members().length > 1) {
            try {
                leave(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closed = true;
        loop.execute(() -> views.close("node " + myNodeId + " is shutting down"));
        fabric.close();
        deliveryThread.shutdown();
        loopGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        try {
            deliveryThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Protects the core from bad frames: a frame that does not decode closes its link, loudly. */
    private final class GuardedInbound implements InboundHandler {
        @Override
        public void onFrame(int fromNodeId, ByteBuffer frame) {
            if (frame.hasRemaining() && frame.get(frame.position()) == FRAME_P2P) {
                onP2P(fromNodeId, frame.position(frame.position() + 1));
                return;
            }
            try {
                views.onFrame(fromNodeId, frame);
            } catch (MalformedFrameException e) {
                refuse(fromNodeId, e);
            }
        }

        @Override
        public void onFrame(int fromNodeId, ByteBuffer[] pieces) {
            if (pieces.length > 0 && pieces[0].hasRemaining() && pieces[0].get(pieces[0].position()) == FRAME_P2P) {
                InboundHandler.super.onFrame(fromNodeId, pieces); // joined into one buffer
                return;
            }
            try {
                views.onFrame(fromNodeId, pieces);
            } catch (MalformedFrameException e) {
                refuse(fromNodeId, e);
            }
        }

        private void refuse(int fromNodeId, MalformedFrameException e) {
            String msg = "malformed frame from node " + fromNodeId + ": " + e.getMessage();
            protocolErrors.add(msg);
            LOG.error("node {}: {}; closing the link", myNodeId, msg);
            fabric.disconnect(fromNodeId, msg);
        }

        @Override
        public void onBatchEnd() {
            views.onBatchEnd();
        }

        @Override
        public void onLinkDown(int nodeId, String reason) {
            if (!closed) {
                LOG.debug("node {}: link to node {} is down: {}", myNodeId, nodeId, reason);
            }
            views.onLinkDown(nodeId, reason);
        }
    }

    /** The protocol core's view of the Netty loop. */
    private final class LoopEnvironment implements Environment {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Cancellable schedule(long delayNanos, Runnable task) {
            var f = loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        }

        @Override
        public void execute(Runnable task) {
            loop.execute(task);
        }

        @Override
        public Outbound outbound() {
            return fabric;
        }
    }
}
