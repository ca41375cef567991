package io.derecho.fabric.tcp;

import io.derecho.fabric.InboundHandler;
import io.derecho.fabric.Outbound;
import io.derecho.fabric.tcp.HandshakeCodec.Hello;
import io.derecho.fabric.tcp.HandshakeCodec.Join;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty TCP fabric: one handshaken, length-prefixed TCP link to every other member of the
 * group, all driven by one event loop (the node's protocol loop).
 *
 * <p>Guarantees: while a link is up, frames sent to a peer arrive there complete, once and in
 * order. {@link InboundHandler} callbacks run only on the given event loop; {@link
 * InboundHandler#onBatchEnd()} follows the frames of each loop iteration once; {@link
 * InboundHandler#onLinkDown} is called once per established link that breaks (and for a dial the
 * peer refused, once per distinct reason). Nothing a peer sends before the handshake succeeds
 * reaches the handler. After {@link #close()} the handler is not called again.
 *
 * <p>Link ownership: a node dials every peer with a lower id and accepts connections from peers
 * with higher ids, so each pair has exactly one link. The dialer retries (100 ms doubling to 1 s)
 * until the link is up or the fabric is closed, and dials again when an established link breaks.
 *
 * <p>Dynamic membership: the peers start as {@link TcpFabricConfig#peers()}; {@link #addPeer} and
 * {@link #forget} change them as nodes join and leave. Frames sent to a peer whose link has not
 * been up since it became a peer are queued (up to {@link #PENDING_LIMIT_BYTES}) and written first
 * when it comes up, so a new view can address a joiner at once. A HELLO from a node that is not a
 * peer is refused with a reason starting {@link #NOT_YET_A_MEMBER}, which the dialing fabric
 * retries quietly. A process that is not a member asks to join with {@link #join}; the member it
 * contacts hands the request to its {@link JoinService}.
 */
public final class TcpFabric implements Outbound, AutoCloseable {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    /** First four bytes of every handshake message: "DREC". */
    public static final int MAGIC = 0x44524543;
    /** The wire protocol this code speaks; a peer speaking another is refused. */
    public static final short PROTOCOL_VERSION = 1;

    /**
     * How a refusal of a HELLO from a node that is not (yet) a peer begins. Such a refusal is
     * transient: the dialing fabric retries with its usual backoff and does not report it through
     * {@link InboundHandler#onLinkDown}, since a joiner may dial members a moment before they
     * install the view that contains it.
     */
    public static final String NOT_YET_A_MEMBER = "not yet a member";

    /**
     * The most bytes (frames and their 4-byte length prefixes) queued for one peer whose link has
     * not been up yet: 64 MiB. Beyond it the queue is dropped and the peer reported unreachable.
     */
    public static final int PENDING_LIMIT_BYTES = 64 * 1024 * 1024;

    /** The largest JOIN or JOIN_REPLY payload: 1 MiB. */
    public static final int MAX_JOIN_BYTES = 1024 * 1024;

    static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_REFUSALS_KEPT = 256;
    private static final long CLOSE_WAIT_SECONDS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(TcpFabric.class);

    private final TcpFabricConfig config;
    private final EventLoop loop;
    private final InboundHandler handler;
    private final long handshakeTimeoutMillis;
    private final Transport transport;
    private final String me;

    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> allConnected = new CompletableFuture<>();
    private final ChannelGroup channels;
    private volatile Channel serverChannel;

    // Read from any thread, written on the loop only.
    private final Map<Integer, Link> links = new ConcurrentHashMap<>();
    private final Map<Integer, String> lastErrors = new ConcurrentHashMap<>();
    private final ArrayDeque<String> refusals = new ArrayDeque<>();
    private volatile long droppedFrames;

    private volatile int maxFrameBytes;
    private volatile JoinService joinService;

    // Loop thread only.
    /** The current peers; a null address: accepted while joining, never dialed by this node. */
    private final Map<Integer, InetSocketAddress> peers = new HashMap<>();
    /** Frames for peers whose link has not been up since they became peers. */
    private final Map<Integer, PendingFrames> pending = new HashMap<>();
    private final Map<Integer, PeerDialer> dialers = new HashMap<>();
    /** Set once start() has begun dialing; a peer added before that is dialed by start(). */
    private boolean dialing;
    private boolean acceptAnyPeer;
    private final List<Link> dirty = new ArrayList<>();
    private final Runnable batchEndTask = this::batchEnd;
    private boolean batchEndPending;
    private boolean framesSinceBatchEnd;
    private String lastLoggedRefusal;

    /**
     * A fabric for {@code config} whose channels all live on {@code loop}; {@code handler} is
     * called on that loop only. Nothing happens until {@link #start()}.
     *
     * @param loop an event loop of a group from {@link #newLoopGroup} (epoll or NIO)
     */
    public TcpFabric(TcpFabricConfig config, EventLoop loop, InboundHandler handler) {
        this(config, loop, handler, DEFAULT_HANDSHAKE_TIMEOUT);
    }

    TcpFabric(TcpFabricConfig config, EventLoop loop, InboundHandler handler,
              Duration handshakeTimeout) {
        this.config = Objects.requireNonNull(config, "config");
        this.loop = Objects.requireNonNull(loop, "loop");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.handshakeTimeoutMillis = handshakeTimeout.toMillis();
        this.transport = Transport.forLoop(loop);
        this.me = "node " + config.myNodeId() + " of group '" + config.groupName() + "'";
        this.channels = new DefaultChannelGroup("tcp-fabric-" + config.myNodeId(), loop);
        this.maxFrameBytes = config.maxFrameBytes();
        for (Map.Entry<Integer, InetSocketAddress> e : config.peers().entrySet()) {
            peers.put(e.getKey(), e.getValue());
            pending.put(e.getKey(), new PendingFrames());
            if (config.dials(e.getKey())) {
                dialers.put(e.getKey(), new PeerDialer(this, e.getKey(), e.getValue()));
            }
        }
    }

    /**
     * A group with ONE event loop thread named {@code threadName}, using epoll where available and
     * NIO otherwise. Take its loop with {@code group.next()}; shut it down after closing every
     * fabric on it.
     */
    public static EventLoopGroup newLoopGroup(String threadName) {
        return newLoopGroup(threadName, true);
    }

    /** As {@link #newLoopGroup(String)}; {@code preferEpoll=false} forces NIO. */
    public static EventLoopGroup newLoopGroup(String threadName, boolean preferEpoll) {
        return newLoopGroup(threadName, preferEpoll, false);
    }

    /**
     * As {@link #newLoopGroup(String, boolean)}; a {@code daemon} thread does not keep the JVM
     * alive (for a group shared by a whole process, such as external clients' connections).
     */
    public static EventLoopGroup newLoopGroup(String threadName, boolean preferEpoll, boolean daemon) {
        Objects.requireNonNull(threadName, "threadName");
        ThreadFactory threads = r -> {
            Thread t = new FastThreadLocalThread(r, threadName);
            t.setDaemon(daemon);
            return t;
        };
        return new MultiThreadIoEventLoopGroup(1, threads, Transport.ioHandlerFactory(preferEpoll));
    }

    /**
     * Binds the listen address and starts dialing the peers with lower ids. Call once, off the
     * event loop (it waits for the bind).
     *
     * @throws IllegalStateException if the address cannot be bound (e.g. the port is taken), with
     *                               the address and the cause in the message
     */
    public void start() {
        if (loop.inEventLoop()) {
            throw new IllegalStateException("TcpFabric.start() waits for the bind; call it off the"
                    + " event loop thread " + Thread.currentThread().getName());
        }
        if (closed.get()) {
            throw new IllegalStateException("TcpFabric of " + me + " is closed");
        }
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("TcpFabric of " + me + " is already started");
        }
        ServerBootstrap server = new ServerBootstrap()
                .group(loop, loop)
                .channel(transport.serverChannel)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 128)
                // Set on the listener so accepted sockets negotiate a matching window scale.
                .option(ChannelOption.SO_RCVBUF, Transport.SOCKET_BUFFER_BYTES)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (track(ch)) {
                            ch.pipeline().addLast("handshake",
                                    new AcceptorHandshakeHandler(TcpFabric.this, handshakeTimeoutMillis));
                        }
                    }
                });
        Transport.applySocketOptions(server);
        ChannelFuture bound = server.bind(config.listenAddress()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            String why = cause instanceof BindException
                    || String.valueOf(cause.getMessage()).contains("Address already in use")
                    ? "the address is already in use (is another node or process listening there?)"
                    : messageOf(cause);
            throw new IllegalStateException(
                    me + " cannot listen on " + describe(config.listenAddress()) + ": " + why, cause);
        }
        serverChannel = bound.channel();
        if (closed.get()) {
            // close() ran while we were binding and saw no listener to close.
            serverChannel.close().awaitUninterruptibly();
            throw new IllegalStateException("TcpFabric of " + me + " was closed while starting");
        }
        LOG.info("{} listens on {}", me, describe(serverChannel.localAddress()));
        loop.execute(() -> {
            if (config.peers().isEmpty()) {
                allConnected.complete(null);
            }
            dialing = true;
            List.copyOf(dialers.values()).forEach(PeerDialer::dial);
        });
    }

    /**
     * Completes (on the event loop) once a handshaken link to every initial peer (those of {@link
     * TcpFabricConfig#peers()}) has been up at the same time; it stays completed if links break
     * later. Completes exceptionally if the fabric is closed first.
     */
    public CompletableFuture<Void> allConnected() {
        return allConnected;
    }

    /** The peers with an established link right now; callable from any thread. */
    public Set<Integer> connectedPeers() {
        return Set.copyOf(links.keySet());
    }

    /** The last connect, handshake or link error seen for {@code peerNodeId}, or null. */
    public String lastError(int peerNodeId) {
        return lastErrors.get(peerNodeId);
    }

    /**
     * Why this node refused or dropped inbound connections before their handshake completed,
     * oldest first (the last 256), each as {@code "refused <remote address>: <reason>"}.
     */
    public List<String> refusals() {
        synchronized (refusals) {
            return List.copyOf(refusals);
        }
    }

    /**
     * Frames dropped by {@link #send}: to a node that is not a peer, to a peer whose link was up
     * and broke, or from a queue that overflowed {@link #PENDING_LIMIT_BYTES}.
     */
    public long droppedFrames() {
        return droppedFrames;
    }

    /**
     * Whether the link to {@code peerNodeId} is up and has room in its outbound buffer; a sender
     * that produces faster than the network can drain should wait while this is false.
     */
    public boolean isWritable(int peerNodeId) {
        Link link = links.get(peerNodeId);
        return link != null && link.channel.isWritable();
    }

    /**
     * Queues {@code frame} (position to limit) for {@code peerNodeId} without flushing. If there is
     * no established link: keeps a copy if the link to that peer has not been up since it became a
     * peer (written, in order, before anything else once it comes up; see {@link
     * #PENDING_LIMIT_BYTES}), else drops it (counted in {@link #droppedFrames()}).
     *
     * @throws IllegalStateException    if not called on the event loop
     * @throws IllegalArgumentException if the frame is larger than {@link #maxFrameBytes()}
     */
    @Override
    public void send(int peerNodeId, ByteBuffer frame) {
        send(peerNodeId, frame, EMPTY);
    }

    /**
     * Queues one frame made of {@code header} followed by {@code body}, copied once into a pooled
     * direct buffer (the large-message path sends a block straight from the message's buffer).
     */
    @Override
    public void send(int peerNodeId, ByteBuffer header, ByteBuffer body) {
        checkOnLoop("send");
        int length = header.remaining() + body.remaining();
        int max = maxFrameBytes;
        if (length > max) {
            throw new IllegalArgumentException("frame of " + length + " bytes to node " + peerNodeId
                    + " exceeds maxFrameBytes " + max);
        }
        Link link = links.get(peerNodeId);
        if (link == null || link.down || !link.channel.isActive()) {
            PendingFrames queue = pending.get(peerNodeId);
            if (queue != null) {
                enqueue(peerNodeId, queue, header, body, length);
            } else {
                droppedFrames++;
            }
            return;
        }
        // One pooled direct buffer holding prefix and body: the transport would copy a heap
        // buffer into a direct one anyway, and one write per frame keeps the outbound queue short.
        ByteBuf buf = link.channel.alloc().directBuffer(4 + length);
        buf.writeInt(length);
        buf.writeBytes(header);
        buf.writeBytes(body);
        link.channel.write(buf, link.channel.voidPromise());
        if (!link.dirty) {
            link.dirty = true;
            dirty.add(link);
        }
    }

    private void enqueue(int peerId, PendingFrames queue, ByteBuffer header, ByteBuffer body,
                         int length) {
        if (queue.fits(length, PENDING_LIMIT_BYTES)) {
            queue.add(header, body);
            return;
        }
        long frames = queue.frames() + 1L;
        long bytes = queue.bytes() + 4 + length;
        queue.clear();
        pending.remove(peerId);
        droppedFrames += frames;
        String last = lastErrors.get(peerId);
        String reason = "node " + peerId + " at " + describePeer(peerId) + " could not be reached: "
                + bytes + " bytes queued for it before its link came up exceed the limit of "
                + PENDING_LIMIT_BYTES + "; dropped " + frames + " frames"
                + (last != null ? " (last error: " + last + ")" : "");
        lastErrors.put(peerId, reason);
        LOG.error("{}: {}", me, reason);
        // Not from inside send(): the core may be iterating over its peers.
        loop.execute(() -> {
            if (!closed.get()) {
                handler.onLinkDown(peerId, reason);
            }
        });
    }

    /** Flushes every link written since the last flush. Event loop only. */
    @Override
    public void flush() {
        checkOnLoop("flush");
        for (int i = 0; i < dirty.size(); i++) {
            Link link = dirty.get(i);
            link.dirty = false;
            if (!link.down) {
                link.channel.flush();
            }
        }
        dirty.clear();
    }

    /**
     * Closes the link to {@code peerNodeId} (e.g. when the core has judged the peer dead while TCP
     * has not noticed); it is reported through {@code onLinkDown} with {@code reason}. If this node
     * dials that peer, it dials again. Event loop only.
     */
    public void disconnect(int peerNodeId, String reason) {
        checkOnLoop("disconnect");
        close(peerNodeId, reason, true);
    }

    private void close(int peerNodeId, String reason, boolean unexpected) {
        Link link = links.get(peerNodeId);
        if (link != null && !link.down) {
            if (link.error == null) {
                link.error = reason;
            }
            if (unexpected) {
                LOG.warn("{}: closing the link to node {}: {}", me, peerNodeId, reason);
            } else {
                LOG.info("{}: closing the link to node {}: {}", me, peerNodeId, reason);
            }
            link.channel.close();
        }
    }

    /**
     * Removes {@code peerNodeId} from the peers, e.g. once it left the view: stops dialing it (a
     * dead member is not dialed forever), closes its link (reported through {@code onLinkDown} with
     * {@code reason}), discards the frames queued for it, and refuses its HELLOs from now on with
     * {@link #NOT_YET_A_MEMBER}. A later {@link #addPeer} of the same id (a new process rejoining
     * with it) starts afresh. Event loop only.
     */
    public void forget(int peerNodeId, String reason) {
        checkOnLoop("forget");
        peers.remove(peerNodeId);
        PendingFrames queue = pending.remove(peerNodeId);
        if (queue != null) {
            queue.clear();
        }
        close(peerNodeId, reason, false); // it left the view: expected
        PeerDialer dialer = dialers.remove(peerNodeId);
        if (dialer != null) {
            dialer.cancel();
        }
    }

    /**
     * Makes {@code nodeId}, listening at {@code address}, a peer: this node dials it if its id is
     * lower ({@link TcpFabricConfig#dials}), and otherwise accepts its HELLO from now on. Frames
     * sent to it before its link is up are queued (see {@link #send}). Idempotent for the same
     * address. A different address replaces the old one: for a peer without a link, the peer is
     * taken as new (dialed at the new address at once, its frames queued again); for one with a
     * link, the link stays and the address is used for later dials. Event loop only; ignored once
     * the fabric is closed.
     *
     * @throws IllegalArgumentException if {@code nodeId} is negative or this node's own id
     */
    public void addPeer(int nodeId, InetSocketAddress address) {
        checkOnLoop("addPeer");
        Objects.requireNonNull(address, "address");
        if (nodeId < 0 || nodeId == config.myNodeId()) {
            throw new IllegalArgumentException("cannot add node " + nodeId + " at "
                    + describe(address) + " as a peer of " + me + ": "
                    + (nodeId < 0 ? "node ids are >= 0" : "that is this node's own id"));
        }
        boolean known = peers.containsKey(nodeId);
        InetSocketAddress old = peers.get(nodeId);
        if (closed.get() || (known && address.equals(old))) {
            return;
        }
        peers.put(nodeId, address);
        boolean linked = links.containsKey(nodeId);
        if (!linked) {
            pending.computeIfAbsent(nodeId, id -> new PendingFrames());
        }
        if (config.dials(nodeId)) {
            PeerDialer dialer = dialers.get(nodeId);
            if (dialer == null) {
                dialer = new PeerDialer(this, nodeId, address);
                dialers.put(nodeId, dialer);
                if (dialing) {
                    dialer.dial();
                }
            } else {
                dialer.readdress(address, dialing);
            }
        }
        if (known) {
            LOG.info("{}: node {} moved from {} to {}{}", me, nodeId,
                    old == null ? "an unknown address" : describe(old), describe(address),
                    linked ? "; its link stays up" : "");
        } else {
            LOG.info("{}: node {} at {} is now a peer ({})", me, nodeId, describe(address),
                    config.dials(nodeId) ? "dialing it" : "waiting for it to dial");
        }
    }

    /**
     * While {@code on}, a HELLO from a node that is not a peer (same group, same protocol version,
     * a higher id as the dialing rule requires) is accepted and that node becomes a peer, with no
     * known address (this node never dials it). Meant for a node that is joining and does not yet
     * know the view that members with higher ids dial it for. The other checks stay. Event loop
     * only.
     */
    public void acceptAnyPeer(boolean on) {
        checkOnLoop("acceptAnyPeer");
        if (acceptAnyPeer != on) {
            acceptAnyPeer = on;
            LOG.info("{} {} HELLOs from nodes that are not peers", me, on ? "accepts" : "no longer accepts");
        }
    }

    /**
     * The largest frame body {@link #send} accepts and inbound links may carry, from now on: a
     * larger length prefix on any link, existing or future, closes it. Event loop only.
     *
     * @throws IllegalArgumentException if {@code bytes} is not between 1 and
     *                                  {@code Integer.MAX_VALUE - 4}
     */
    public void setMaxFrameBytes(int bytes) {
        checkOnLoop("setMaxFrameBytes");
        if (bytes <= 0 || bytes > Integer.MAX_VALUE - 4) {
            throw new IllegalArgumentException("maxFrameBytes of " + me + " must be between 1 and "
                    + (Integer.MAX_VALUE - 4) + ", was " + bytes);
        }
        if (bytes != maxFrameBytes) {
            LOG.info("{}: maxFrameBytes {} -> {}", me, maxFrameBytes, bytes);
            maxFrameBytes = bytes;
        }
    }

    /** The current frame size bound: {@link TcpFabricConfig#maxFrameBytes()} until changed. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /**
     * Where JOIN requests arriving at this node's listen port go; {@code null} (the default)
     * refuses them ("node N does not accept joins"). Callable from any thread, before or after
     * {@link #start()}.
     */
    public void joinService(JoinService service) {
        this.joinService = service;
    }

    /**
     * Connects to {@code contact}, sends one JOIN with {@code payload}, and reports each JOIN_REPLY
     * to {@code onReply} (on {@code loop}); {@code onClosed} runs once when the connection ends (the
     * reason, e.g. "cannot connect to /10.0.0.1:7000: Connection refused", "rejected: ...",
     * "closed", "cancelled"). For a process that is not a member yet: it needs no fabric. Nothing
     * times out once connected (the connect itself times out after 5 s); cancel the attempt to
     * give up.
     *
     * @param loop an event loop of a group from {@link #newLoopGroup}
     * @throws IllegalArgumentException if {@code payload} is longer than {@link #MAX_JOIN_BYTES} or
     *                                  {@code groupName} is blank or longer than 65535 bytes
     */
    public static JoinAttempt join(EventLoop loop, InetSocketAddress contact, String groupName,
                                   byte[] payload, Consumer<byte[]> onReply,
                                   Consumer<String> onClosed) {
        return JoinClientHandler.connect(loop, contact, groupName, payload, onReply, onClosed);
    }

    /** The socket transport in use: {@code "epoll"} or {@code "NIO"}. */
    public String transportName() {
        return transport.name;
    }

    /** The port the listener is bound to (useful with port 0). */
    public int boundPort() {
        Channel ch = serverChannel;
        if (ch == null) {
            throw new IllegalStateException("TcpFabric of " + me + " is not started");
        }
        return ((InetSocketAddress) ch.localAddress()).getPort();
    }

    /**
     * Closes the listener and every link and stops dialing; the handler is not called again. Off
     * the event loop it returns once the sockets are closed; on the loop it starts the closes and
     * returns. Does not shut down the event loop group.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (loop.inEventLoop()) {
            closeOnLoop();
            return;
        }
        try {
            loop.submit(this::closeOnLoop).awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            // The loop is shutting down, and closes every channel itself.
            if (!allConnected.isDone()) {
                allConnected.completeExceptionally(closedBeforeConnected());
            }
        }
    }

    private void closeOnLoop() {
        dialers.values().forEach(PeerDialer::cancel);
        pending.values().forEach(PendingFrames::clear);
        pending.clear();
        Channel server = serverChannel;
        if (server != null) {
            server.close();
        }
        channels.close();
        if (!allConnected.isDone()) {
            allConnected.completeExceptionally(closedBeforeConnected());
        }
        LOG.info("{} closed its TCP fabric", me);
    }

    private IllegalStateException closedBeforeConnected() {
        return new IllegalStateException(
                "TcpFabric of " + me + " was closed before all peers connected");
    }

    // ---------------------------------------------------------------- for the handlers

    TcpFabricConfig config() {
        return config;
    }

    EventLoop loop() {
        return loop;
    }

    Transport transport() {
        return transport;
    }

    long handshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    String me() {
        return me;
    }

    boolean isClosed() {
        return closed.get();
    }

    boolean hasLink(int peerId) {
        return links.containsKey(peerId);
    }

    void recordError(int peerId, String error) {
        lastErrors.put(peerId, error);
    }

    /** Tells the core about a refused or failed dial (the dialer has already deduplicated it). */
    void reportLinkDown(int peerId, String reason) {
        if (!closed.get()) {
            handler.onLinkDown(peerId, reason);
        }
    }

    // ---------------------------------------------------------------- accepting (loop thread)

    /** Why to refuse {@code hello}, or null to take the link. */
    String checkHello(Hello hello) {
        String group = config.groupName();
        if (!hello.groupName().equals(group)) {
            return "group '" + hello.groupName() + "' does not match this node's group '" + group + "'";
        }
        int id = hello.nodeId();
        if (id == config.myNodeId()) {
            return "node id " + id + " is this node's own id";
        }
        if (!peers.containsKey(id) && !acceptAnyPeer) {
            return NOT_YET_A_MEMBER + ": node id " + id + " is not a member of group '" + group
                    + "' known to node " + config.myNodeId();
        }
        if (config.dials(id)) {
            return "node id " + id + " must not dial node " + config.myNodeId()
                    + ": members dial only lower ids, so node " + config.myNodeId() + " dials it";
        }
        Link existing = links.get(id);
        if (existing != null) {
            return "node id " + id + " is already connected from " + existing.remote;
        }
        if (closed.get()) {
            return "node " + config.myNodeId() + " is shutting down";
        }
        return null;
    }

    /** Why to refuse {@code join}, or null to hand it to the {@link JoinService}. */
    String checkJoin(Join join) {
        String group = config.groupName();
        if (!join.groupName().equals(group)) {
            return "group '" + join.groupName() + "' does not match this node's group '" + group + "'";
        }
        if (closed.get()) {
            return "node " + config.myNodeId() + " is shutting down";
        }
        if (joinService == null) {
            return "node " + config.myNodeId() + " does not accept joins";
        }
        return null;
    }

    /** A JOIN passed {@link #checkJoin}: hand the connection over to the {@link JoinService}. */
    void joinRequested(Join join, ChannelHandlerContext ctx) {
        JoinRequestHandler.takeOver(me, ctx, join.payload(), joinService);
    }

    void refused(Channel channel, String reason) {
        String entry = "refused " + describe(channel.remoteAddress()) + ": " + reason;
        synchronized (refusals) {
            if (refusals.size() == MAX_REFUSALS_KEPT) {
                refusals.removeFirst();
            }
            refusals.addLast(entry);
        }
        if (reason.equals(lastLoggedRefusal)) {
            LOG.debug("{} {}", me, entry);
        } else if (reason.startsWith(NOT_YET_A_MEMBER)) {
            // Expected while a joiner is being added; the dialer retries.
            lastLoggedRefusal = reason;
            LOG.info("{} {}", me, entry);
        } else {
            lastLoggedRefusal = reason;
            LOG.warn("{} {}", me, entry);
        }
    }

    /** A connection closed before sending anything: a port probe, not worth a warning. */
    void probed(Channel channel) {
        LOG.debug("{}: connection from {} closed before sending anything", me,
                describe(channel.remoteAddress()));
    }

    // ---------------------------------------------------------------- links (loop thread)

    /** Registers a new channel for {@link #close()}; false (and closed) if already closed. */
    boolean track(Channel ch) {
        if (closed.get()) {
            ch.close();
            return false;
        }
        channels.add(ch);
        return true;
    }

    /** The handshake on {@code ctx}'s channel succeeded: install the link. */
    void linkUp(int peerId, ChannelHandlerContext ctx, boolean accepted) {
        Channel ch = ctx.channel();
        Link link = new Link(peerId, ch);
        links.put(peerId, link);
        if (accepted) {
            if (!peers.containsKey(peerId)) {
                peers.put(peerId, null);
                LOG.info("{}: node {} at {} is now a peer: it dialed while this node accepts any peer",
                        me, peerId, link.remote);
            }
            ByteBuf welcome = ctx.alloc().buffer(HandshakeCodec.PREFIX_BYTES + 4);
            HandshakeCodec.writeWelcome(welcome, config.myNodeId());
            ctx.writeAndFlush(welcome, ctx.voidPromise());
        } else {
            PeerDialer dialer = dialers.get(peerId);
            if (dialer != null) {
                dialer.linkUp();
            }
        }
        ctx.pipeline().addAfter(ctx.name(), "frames", new FrameHandler(this, link));
        // Queued frames go first, before any frame that arrived with the handshake is handled
        // (which may send more): the handshake decoder passes those bytes on only once its
        // decode() returns.
        PendingFrames queued = pending.remove(peerId);
        int queuedFrames = queued == null ? 0 : queued.frames();
        long queuedBytes = queued == null ? 0 : queued.bytes();
        if (queuedFrames > 0) {
            queued.writeTo(ch);
            ch.flush();
        }
        ctx.pipeline().remove(ctx.handler());
        LOG.info("{}: link to node {} at {} is up ({}){}", me, peerId, link.remote,
                accepted ? "accepted" : "dialed", queuedFrames == 0 ? ""
                        : "; wrote the " + queuedFrames + " frames (" + queuedBytes
                                + " bytes) queued for it before");
        if (!allConnected.isDone() && links.keySet().containsAll(config.peers().keySet())) {
            allConnected.complete(null);
        }
    }

    void deliver(Link link, ByteBuffer[] body) {
        framesSinceBatchEnd = true;
        if (!batchEndPending) {
            // Runs after this loop iteration's I/O, i.e. after every link's reads in it.
            batchEndPending = true;
            loop.execute(batchEndTask);
        }
        handler.onFrame(link.peerId, body);
    }

    private void batchEnd() {
        batchEndPending = false;
        if (framesSinceBatchEnd && !closed.get()) {
            framesSinceBatchEnd = false;
            handler.onBatchEnd();
        }
    }

    /** A peer broke the protocol (a bad frame, a failing handler): logged as an error, the link closed. */
    void linkError(Link link, String error, Throwable cause) {
        if (link.down) {
            return;
        }
        if (link.error == null) {
            link.error = error;
        }
        if (cause != null) {
            LOG.error("{}: {}", me, error, cause);
        } else {
            LOG.error("{}: {}", me, error);
        }
        link.channel.close();
    }

    /** The connection failed (reset, refused: a crashed or unreachable peer): a warning, the link closed. */
    void linkLost(Link link, String error) {
        if (link.down) {
            return;
        }
        if (link.error == null) {
            link.error = error;
        }
        LOG.warn("{}: {}", me, error);
        link.channel.close();
    }

    void linkClosed(Link link) {
        if (link.down) {
            return;
        }
        link.down = true;
        links.remove(link.peerId, link);
        if (closed.get()) {
            return;
        }
        String reason = link.error != null ? link.error
                : "connection to node " + link.peerId + " at " + link.remote + " closed";
        lastErrors.put(link.peerId, reason);
        if (peers.containsKey(link.peerId)) {
            LOG.warn("{}: link to node {} is down: {}", me, link.peerId, reason);
        } else {
            LOG.info("{}: link to node {} is closed: {}", me, link.peerId, reason); // it left the view
        }
        handler.onLinkDown(link.peerId, reason);
    }

    /** The address {@code peerId} is known at, for messages. */
    private String describePeer(int peerId) {
        InetSocketAddress address = peers.get(peerId);
        return address == null ? "an unknown address" : describe(address);
    }

    /** For tests: the remote address of the established link to {@code peerNodeId}, or null. */
    SocketAddress linkRemoteAddress(int peerNodeId) {
        Link link = links.get(peerNodeId);
        return link == null ? null : link.channel.remoteAddress();
    }

    /** For tests: the local address of the established link to {@code peerNodeId}, or null. */
    SocketAddress linkLocalAddress(int peerNodeId) {
        Link link = links.get(peerNodeId);
        return link == null ? null : link.channel.localAddress();
    }

    static String messageOf(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    /** "/ip:port", or "host/ip:port" where a host name was given: the same for NIO and epoll. */
    static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress a) {
            if (a.isUnresolved()) {
                return a.getHostString() + "/<unresolved>:" + a.getPort();
            }
            String ip = a.getAddress().getHostAddress();
            String host = a.getHostString();
            return (host.equals(ip) ? "" : host) + "/" + ip + ":" + a.getPort();
        }
        return String.valueOf(address);
    }

    private void checkOnLoop(String method) {
        if (!loop.inEventLoop()) {
            throw new IllegalStateException("TcpFabric." + method + " must be called on the fabric's"
                    + " event loop, not on thread " + Thread.currentThread().getName());
        }
    }
}
