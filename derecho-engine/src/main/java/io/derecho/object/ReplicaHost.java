package io.derecho.object;

import io.derecho.codec.Codec;
import io.derecho.codec.CodecException;
import io.derecho.membership.StateTransfer;
import io.derecho.membership.View;
import io.derecho.multicast.MessageTooLargeException;
import io.derecho.multicast.ShardLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's replicated objects and the RPC among them. Ordered calls are multicast in the shard;
 * every member runs them in delivery order (one at a time per node, on the delivery thread, under
 * the replica's write lock) and replies point to point to the caller. Queries run on one member,
 * on the query executor under the replica's read lock. Relayed calls come from non-members: the
 * member issues the ordered call and answers with its own replica's reply.
 *
 * <p>Wire format (big-endian). In the shard's multicast: {@code CALL = 1 methodId:i32 caller:i32
 * callId:i64 args} and {@code RAW = 2 bytes}. Point to point: {@code REPLY = 3 callId:i64
 * status:i8 version:i64 payload}, {@code QUERY = 4 callId:i64 subgroup:i32 shard:i32 methodId:i32
 * args} and {@code RELAY = 5} (same layout as QUERY).
 *
 * <p>The host is driven by its node: {@link #onDelivery} in delivery order, {@link #onP2P} for
 * point-to-point messages, {@link #beforeViewStarts} before each view's first delivery, and
 * {@link #stateTransfer()} as the node's state-transfer hook. Replies complete their futures on
 * the thread that received them (the node's I/O thread, or the delivery thread for this node's own
 * reply): callbacks attached with the non-async {@code CompletableFuture} methods run there, so
 * keep them short or use the {@code *Async} variants.
 */
public final class ReplicaHost {
    static final byte CALL = 1;
    static final byte RAW = 2;
    static final byte REPLY = 3;
    static final byte QUERY = 4;
    static final byte RELAY = 5;
    static final byte OK = 0;
    static final byte THREW = 1;
    static final byte UNKNOWN_METHOD = 2;
    static final byte BAD_REQUEST = 3;
    static final byte NOT_MEMBER = 4;
    private static final int KEPT_VIEWS = 64;
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaHost.class);

    /** What the host needs from its node. */
    public interface Port {
        int nodeId();

        /** Multicasts {@code message} in the shard (ordered), waiting for room and across view changes. */
        void send(int subgroup, int shard, byte[] message) throws InterruptedException;

        /** Sends {@code message} to one member; callable from any thread. */
        void sendP2P(int nodeId, byte[] message);
    }

    private record Registration(Class<?> type, String subgroup, Supplier<?> factory, MethodTable table) {
    }

    /** This node's replica of one shard. */
    private static final class Replica {
        final Registration reg;
        final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        volatile Object instance;

        Replica(Registration reg) {
            this.reg = reg;
            this.instance = reg.factory().get();
        }
    }

    /** A call this node made and still waits for (a typed call, or a raw one for an external client). */
    private record Pending(QueryResults<Object> results, MethodTable.Entry entry, Class<?> type, int target,
                           java.util.concurrent.CompletableFuture<RawReply> raw) {
        Pending(QueryResults<Object> results, MethodTable.Entry entry, Class<?> type, int target) {
            this(results, entry, type, target, null);
        }

        boolean ordered() {
            return target < 0;
        }
    }

    /** A reply as it travelled: who sent it, its status, the call's version and the encoded value or message. */
    public record RawReply(int from, byte status, long version, byte[] payload) {
    }

    private final Port port;
    private final Codec codec;
    private final Executor queries;
    private final Executor completions;
    private final Map<String, Registration> bySubgroup = new ConcurrentHashMap<>();
    private final Map<Class<?>, Registration> byType = new ConcurrentHashMap<>();
    private final Map<Long, Replica> replicas = new ConcurrentHashMap<>();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Integer, View> views = new ConcurrentSkipListMap<>();
    private final AtomicLong nextCall = new AtomicLong();
    private volatile String stopped;

    public ReplicaHost(Port port, Codec codec, Executor queries, Executor completions) {
        this.port = port;
        this.codec = codec;
        this.queries = queries;
        this.completions = completions;
    }

    /**
     * Makes {@code type} the type of subgroup {@code subgroup}: each shard of it this node serves
     * holds one instance from {@code factory}. Its state moves to new members through
     * {@link Snapshotting} or {@link CodecState}; a type with neither starts empty on a new member.
     */
    public <T> void register(Class<T> type, String subgroup, Supplier<? extends T> factory) {
        Registration r = new Registration(type, subgroup, factory, new MethodTable(type, codec));
        if (bySubgroup.putIfAbsent(subgroup, r) != null) {
            throw new IllegalArgumentException("subgroup " + subgroup + " already has a replicated type");
        }
        if (byType.putIfAbsent(type, r) != null) {
            bySubgroup.remove(subgroup);
            throw new IllegalArgumentException(type.getName() + " is already the type of subgroup " + byType.get(type).subgroup());
        }
    }

    public int nodeId() {
        return port.nodeId();
    }

    /** The current view (null before the first). */
    public View view() {
        var last = views.lastEntry();
        return last == null ? null : last.getValue();
    }

    /** The subgroup name {@code type} was registered for. */
    String subgroupOf(Class<?> type) {
        Registration r = byType.get(type);
        if (r == null) {
            throw new IllegalArgumentException(type.getName() + " is not a registered replicated type");
        }
        return r.subgroup();
    }

    /** This node's replica instance of a shard (for tests and diagnostics), or null. */
    public Object replica(int subgroup, int shard) {
        Replica r = replicas.get(key(subgroup, shard));
        return r == null ? null : r.instance;
    }

    // ---- calls ----

    /** An ordered call: multicast in the shard, run by every member, one reply from each. */
    @SuppressWarnings("unchecked")
    <R> QueryResults<R> ordered(Class<?> type, int subgroup, int shard, Method method, Object[] args)
            throws InterruptedException {
        if (HandlerContext.inOrderedHandler()) {
            throw new IllegalStateException("an ordered call cannot be made from inside an ordered handler: it would wait"
                    + " for its own delivery; use a point-to-point call, or make the call from another thread");
        }
        MethodTable.Entry e = entry(type, method);
        byte[] encoded = encodeArgs(e, args);
        long callId = nextCall.incrementAndGet();
        QueryResults<Object> results = new QueryResults<>(e.describe(type) + " (ordered)", port.nodeId());
        pending.put(callId, new Pending(results, e, type, -1));
        ByteBuffer m = ByteBuffer.allocate(17 + encoded.length);
        m.put(CALL).putInt(e.id()).putInt(port.nodeId()).putLong(callId).put(encoded);
        try {
            port.send(subgroup, shard, m.array());
        } catch (RuntimeException | InterruptedException ex) {
            pending.remove(callId);
            results.fail(ex instanceof RpcException r ? r : new RpcException("ordered call " + e.describe(type)
                    + " could not be sent: " + ex.getMessage(), ex));
            if (ex instanceof InterruptedException ie) {
                throw ie;
            }
            throw ex instanceof RuntimeException re ? re : new IllegalStateException(ex);
        }
        return (QueryResults<R>) (QueryResults<?>) results;
    }

    /** A query on one member ({@code relay}: an ordered call that member makes for this node). */
    @SuppressWarnings("unchecked")
    <R> QueryResults<R> p2p(Class<?> type, int subgroup, int shard, int target, Method method, Object[] args, boolean relay) {
        MethodTable.Entry e = entry(type, method);
        byte[] encoded = encodeArgs(e, args);
        long callId = nextCall.incrementAndGet();
        QueryResults<Object> results = new QueryResults<>(e.describe(type) + (relay ? " (relayed" : " (query")
                + " to node " + target + ")", target);
        View v = view();
        if (v == null || !v.hasMember(target)) {
            results.fail(new NodeRemovedException(target, e.describe(type)));
            return (QueryResults<R>) (QueryResults<?>) results;
        }
        pending.put(callId, new Pending(results, e, type, target));
        try {
            port.sendP2P(target, request(relay, callId, subgroup, shard, e.id(), encoded));
        } catch (RuntimeException ex) {
            pending.remove(callId);
            results.fail(ex instanceof RpcException r ? r : new RpcException(ex.getMessage(), ex));
        }
        return (QueryResults<R>) (QueryResults<?>) results;
    }

    /** Multicasts raw bytes in the shard, delivered to a {@link RawReceiver} replica. */
    void sendRaw(int subgroup, int shard, byte[] bytes) throws InterruptedException {
        byte[] m = new byte[bytes.length + 1];
        m[0] = RAW;
        System.arraycopy(bytes, 0, m, 1, bytes.length);
        port.send(subgroup, shard, m);
    }

    /**
     * A call made for an external client, with its arguments and reply left encoded: a query, or
     * ({@code relay}) an ordered call that {@code target} makes.
     */
    java.util.concurrent.CompletableFuture<RawReply> forward(int subgroup, int shard, int target, int methodId,
                                                               byte[] args, boolean relay) {
        var raw = new java.util.concurrent.CompletableFuture<RawReply>();
        View v = view();
        if (v == null || !v.hasMember(target)) {
            raw.complete(new RawReply(target, NOT_MEMBER, -1, ("node " + target + " is not in the view")
                    .getBytes(StandardCharsets.UTF_8)));
            return raw;
        }
        long callId = nextCall.incrementAndGet();
        pending.put(callId, new Pending(null, null, null, target, raw));
        try {
            port.sendP2P(target, request(relay, callId, subgroup, shard, methodId, args));
        } catch (RuntimeException ex) {
            pending.remove(callId);
            raw.complete(new RawReply(target, BAD_REQUEST, -1, String.valueOf(ex.getMessage()).getBytes(StandardCharsets.UTF_8)));
        }
        return raw;
    }

    /** A QUERY or RELAY message. */
    private static byte[] request(boolean relay, long callId, int subgroup, int shard, int methodId, byte[] args) {
        return ByteBuffer.allocate(21 + args.length).put(relay ? RELAY : QUERY).putLong(callId).putInt(subgroup)
                .putInt(shard).putInt(methodId).put(args).array();
    }

    private MethodTable.Entry entry(Class<?> type, Method method) {
        Registration r = byType.get(type);
        if (r == null) {
            throw new IllegalArgumentException(type.getName() + " is not a registered replicated type");
        }
        MethodTable.Entry e = r.table().get(method);
        if (e.unsupported() != null) {
            throw new IllegalArgumentException("cannot call " + e.describe(type) + " remotely: " + e.unsupported());
        }
        return e;
    }

    private byte[] encodeArgs(MethodTable.Entry e, Object[] args) {
        try {
            return e.args().encode(args);
        } catch (CodecException ex) {
            throw new IllegalArgumentException("arguments of " + e.signature() + ": " + ex.getMessage(), ex);
        }
    }

    // ---- driven by the node ----

    /** A view is about to start: remember it, fail replies that will not come, drop shards left. */
    public void beforeViewStarts(View v) {
        views.put(v.id(), v);
        while (views.size() > KEPT_VIEWS) {
            views.pollFirstEntry();
        }
        for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
            Pending p = it.next().getValue();
            if (p.raw() != null) {
                if (!v.hasMember(p.target())) {
                    p.raw().complete(new RawReply(p.target(), NOT_MEMBER, -1, ("node " + p.target()
                            + " left the group before replying").getBytes(StandardCharsets.UTF_8)));
                    it.remove();
                }
                continue;
            }
            if (!p.ordered()) {
                if (!v.hasMember(p.target())) {
                    completions.execute(() -> p.results().fail(new NodeRemovedException(p.target(), p.entry().describe(p.type()))));
                }
                continue;
            }
            List<Integer> waiting = p.results().waitingFor();
            if (waiting != null) {
                for (int m : waiting) {
                    if (!v.hasMember(m)) {
                        completions.execute(() -> p.results().memberGone(m));
                    }
                }
            }
        }
        for (var it = replicas.keySet().iterator(); it.hasNext(); ) {
            long k = it.next();
            ShardLayout s = v.layout().findShard((int) (k >> 32), (int) k);
            if (s == null || !s.hasMember(port.nodeId())) {
                it.remove();
            }
        }
        pending.entrySet().removeIf(e -> e.getValue().results() != null && e.getValue().results().done());
    }

    /** The node stopped: nothing pending will complete. */
    public void onStopped(String reason) {
        stopped = reason;
        RpcException e = new RpcException("node " + port.nodeId() + " stopped: " + reason);
        for (Pending p : pending.values()) {
            if (p.raw() != null) {
                p.raw().complete(new RawReply(port.nodeId(), NOT_MEMBER, -1, e.getMessage().getBytes(StandardCharsets.UTF_8)));
            } else {
                completions.execute(() -> p.results().fail(e));
            }
        }
        pending.clear();
    }

    /** One delivered multicast of a shard, in the shard's order (delivery thread). */
    public void onDelivery(int subgroup, int shard, int sender, ByteBuffer payload, long version) {
        ByteBuffer b = payload.duplicate();
        byte kind = b.get();
        Replica r = replicaFor(subgroup, shard);
        if (kind == RAW) {
            if (r != null && r.instance instanceof RawReceiver raw) {
                raw.onRaw(sender, b.slice(), version);
            }
            return;
        }
        if (kind != CALL || b.remaining() < 16) {
            LOG.warn("node {}: ignored a malformed multicast from node {} in subgroup {} shard {}", port.nodeId(), sender,
                    subgroup, shard);
            return;
        }
        int methodId = b.getInt();
        int caller = b.getInt();
        long callId = b.getLong();
        byte[] args = new byte[b.remaining()];
        b.get(args);
        Object outcome;
        byte status;
        MethodTable.Entry e = r == null ? null : r.reg.table().get(methodId);
        if (r == null) {
            status = NOT_MEMBER;
            outcome = "no replicated type for subgroup " + subgroup;
        } else if (e == null) {
            status = UNKNOWN_METHOD;
            outcome = "method id " + methodId + " is not a method of " + r.reg.type().getName() + " on node " + port.nodeId();
        } else {
            Object[] res = invoke(r, e, args, version, caller, true);
            status = (Byte) res[0];
            outcome = res[1];
        }
        if (caller == port.nodeId()) {
            Pending p = pending.get(callId);
            if (p != null) {
                View v = views.get((int) (version >>> 32));
                ShardLayout s = v == null ? null : v.layout().findShard(subgroup, shard);
                int[] members = s == null ? new int[] {port.nodeId()} : s.members();
                p.results().delivered(version, members);
                p.results().reply(port.nodeId(), toOutcome(p, port.nodeId(), status, outcome));
                if (p.results().done()) {
                    pending.remove(callId);
                }
            }
        } else {
            reply(caller, callId, status, version, e, outcome);
        }
    }

    /** Runs {@code e}: {status, value or message}. */
    private Object[] invoke(Replica r, MethodTable.Entry e, byte[] args, long version, int caller, boolean ordered) {
        Object[] values;
        try {
            values = e.args().decode(args);
        } catch (RuntimeException ex) {
            return new Object[] {BAD_REQUEST, "bad arguments for " + e.signature() + ": " + ex.getMessage()};
        }
        var lock = ordered ? r.lock.writeLock() : r.lock.readLock();
        long[] before = HandlerContext.enter(ordered ? version : -1, caller);
        lock.lock();
        if (ordered) {
            HandlerContext.holding(r.lock);
        }
        try {
            return new Object[] {OK, e.handle().invoke(r.instance, values)};
        } catch (Throwable t) {
            if (t instanceof Error err && !(t instanceof AssertionError) && !(t instanceof StackOverflowError)) {
                throw err;
            }
            LOG.debug("node {}: {} threw", port.nodeId(), e.signature(), t);
            return new Object[] {THREW, t.getClass().getName() + "\n" + t.getMessage()};
        } finally {
            if (ordered) {
                HandlerContext.holding(null);
            }
            lock.unlock();
            HandlerContext.exit(before);
        }
    }

    private void reply(int to, long callId, byte status, long version, MethodTable.Entry e, Object outcome) {
        if (status == OK && !e.isVoid() && e.reply() != byte[].class && e.reply() != ByteBuffer.class) {
            // The common case in one buffer: header, then the value as the codec writes it (what encode() returns).
            io.derecho.codec.ByteSink sink = new io.derecho.codec.ByteSink(64);
            sink.writeByte(REPLY);
            sink.writeLong(callId);
            sink.writeByte(OK);
            sink.writeLong(version);
            try {
                codec.write(e.reply(), outcome, sink);
                port.sendP2P(to, sink.toByteArray());
                return;
            } catch (CodecException ex) {
                status = THREW;
                outcome = CodecException.class.getName() + "\ncannot encode the reply: " + ex.getMessage();
            } catch (MessageTooLargeException ex) {
                status = THREW; // the caller hears why instead of waiting for a reply that never comes
                outcome = tooLarge(ex);
            } catch (RuntimeException ex) {
                LOG.warn("node {}: could not reply to node {}: {}", port.nodeId(), to, ex.getMessage());
                return;
            }
        }
        byte[] payload;
        if (status == OK) {
            try {
                payload = e.isVoid() ? new byte[0] : codec.encode(e.reply(), outcome);
            } catch (CodecException ex) {
                status = THREW;
                payload = (CodecException.class.getName() + "\ncannot encode the reply: " + ex.getMessage())
                        .getBytes(StandardCharsets.UTF_8);
            }
        } else {
            payload = String.valueOf(outcome).getBytes(StandardCharsets.UTF_8);
        }
        ByteBuffer m = ByteBuffer.allocate(18 + payload.length);
        m.put(REPLY).putLong(callId).put(status).putLong(version).put(payload);
        try {
            port.sendP2P(to, m.array());
        } catch (MessageTooLargeException ex) {
            if (status == OK) {
                reply(to, callId, THREW, version, e, tooLarge(ex));
            } else {
                LOG.warn("node {}: could not reply to node {}: {}", port.nodeId(), to, ex.getMessage());
            }
        } catch (RuntimeException ex) {
            LOG.warn("node {}: could not reply to node {}: {}", port.nodeId(), to, ex.getMessage());
        }
    }

    /** The failure a caller gets for a reply too large to send. */
    private static String tooLarge(MessageTooLargeException ex) {
        return MessageTooLargeException.class.getName() + "\nthe reply does not fit a message: " + ex.getMessage();
    }

    /** A point-to-point message (protocol loop): replies are completed, queries and relays run elsewhere. */
    public void onP2P(int from, ByteBuffer message) {
        try {
            ByteBuffer b = message.duplicate();
            byte kind = b.get();
            long callId = b.getLong();
            if (kind == REPLY) {
                byte status = b.get();
                long version = b.getLong();
                byte[] payload = new byte[b.remaining()];
                b.get(payload);
                onReply(from, callId, status, version, payload); // completes futures: waiting callers wake up
                return;
            }
            if (kind != QUERY && kind != RELAY) {
                LOG.warn("node {}: ignored a point-to-point message of unknown kind {} from node {}", port.nodeId(), kind, from);
                return;
            }
            int subgroup = b.getInt();
            int shard = b.getInt();
            int methodId = b.getInt();
            byte[] args = new byte[b.remaining()];
            b.get(args);
            queries.execute(() -> serve(from, callId, kind == RELAY, subgroup, shard, methodId, args));
        } catch (BufferUnderflowException e) {
            LOG.warn("node {}: ignored a truncated point-to-point message from node {}", port.nodeId(), from);
        }
    }

    private void serve(int from, long callId, boolean relay, int subgroup, int shard, int methodId, byte[] args) {
        Replica r = replicaFor(subgroup, shard);
        MethodTable.Entry e = r == null ? null : r.reg.table().get(methodId);
        if (r == null || e == null) {
            byte status = r == null ? NOT_MEMBER : UNKNOWN_METHOD;
            String why = r == null ? "node " + port.nodeId() + " does not serve subgroup " + subgroup + " shard " + shard
                    : "method id " + methodId + " is not a method of " + r.reg.type().getName() + " on node " + port.nodeId();
            reply(from, callId, status, -1, null, why);
            return;
        }
        if (!relay) {
            Object[] res = invoke(r, e, args, -1, from, false);
            reply(from, callId, (Byte) res[0], -1, e, res[1]);
            return;
        }
        try {
            Object[] values = e.args().decode(args);
            QueryResults<Object> results = ordered(r.reg.type(), subgroup, shard, e.method(), values);
            // Answer once every replica replied (or left): when the caller hears back, every replica
            // in the view has applied the call, as for an ordered call made at a member.
            results.replies().thenCompose(map -> CompletableFuture.allOf(map.values().toArray(CompletableFuture[]::new))
                    .handle((all, ignored) -> map.get(port.nodeId()))).thenAccept(own -> own.whenComplete((value, failure) -> {
                long version = results.version().join();
                if (failure == null) {
                    reply(from, callId, OK, version, e, value);
                } else if (failure instanceof RemoteInvocationException rie) {
                    reply(from, callId, THREW, version, e, rie.remoteType() + "\n" + rie.getMessage());
                } else {
                    reply(from, callId, THREW, version, e, failure.getClass().getName() + "\n" + failure.getMessage());
                }
            })).exceptionally(failure -> {
                reply(from, callId, THREW, -1, e, failure.getClass().getName() + "\n" + failure.getMessage());
                return null;
            });
        } catch (CodecException ex) {
            reply(from, callId, BAD_REQUEST, -1, e, "bad arguments for " + e.signature() + ": " + ex.getMessage());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException ex) {
            reply(from, callId, THREW, -1, e, ex.getClass().getName() + "\n" + ex.getMessage());
        }
    }

    private void onReply(int from, long callId, byte status, long version, byte[] payload) {
        Pending p = pending.get(callId);
        if (p == null) {
            return;
        }
        if (p.raw() != null) {
            pending.remove(callId);
            p.raw().complete(new RawReply(from, status, version, payload));
            return;
        }
        Object outcome;
        if (status == OK) {
            try {
                outcome = p.entry().isVoid() ? null : codec.decode(p.entry().reply(), payload);
            } catch (CodecException e) {
                outcome = new RpcException("node " + from + " sent a reply to " + p.entry().describe(p.type())
                        + " that does not decode: " + e.getMessage(), e);
            }
        } else {
            outcome = toOutcome(p, from, status, new String(payload, StandardCharsets.UTF_8));
        }
        if (!p.ordered()) {
            p.results().delivered(version, new int[] {p.target()});
        }
        p.results().reply(from, outcome);
        if (p.results().done()) {
            pending.remove(callId);
        }
    }

    private static Object toOutcome(Pending p, int member, byte status, Object outcome) {
        return outcome(p.entry().describe(p.type()), member, status, outcome);
    }

    /** The value, or the typed exception, that a reply with {@code status} stands for. */
    static Object outcome(String what, int member, byte status, Object outcome) {
        return switch (status) {
            case OK -> outcome;
            case THREW -> {
                String s = String.valueOf(outcome);
                int nl = s.indexOf('\n');
                yield new RemoteInvocationException(member, what, nl < 0 ? s : s.substring(0, nl),
                        nl < 0 ? null : s.substring(nl + 1));
            }
            case UNKNOWN_METHOD -> new UnknownMethodException(what + ": " + outcome);
            case NOT_MEMBER -> new RpcException(what + ": " + outcome);
            default -> new RpcException(what + " refused by node " + member + ": " + outcome);
        };
    }

    private Replica replicaFor(int subgroup, int shard) {
        long k = key(subgroup, shard);
        Replica r = replicas.get(k);
        if (r != null) {
            return r;
        }
        View v = view();
        ShardLayout s = v == null ? null : v.layout().findShard(subgroup, shard);
        Registration reg = s == null ? null : bySubgroup.get(s.subgroupName());
        if (reg == null || !s.hasMember(port.nodeId())) {
            return null;
        }
        return replicas.computeIfAbsent(k, x -> new Replica(reg));
    }

    private static long key(int subgroup, int shard) {
        return ((long) subgroup << 32) | (shard & 0xffffffffL);
    }

    // ---- state transfer ----

    /** The node's state-transfer hook: each replica's snapshot. */
    public StateTransfer stateTransfer() {
        return new StateTransfer() {
            @Override
            public void writeState(ShardLayout shard, int viewId, OutputStream out) throws IOException {
                Replica r = replicas.get(key(shard.subgroup(), shard.shard()));
                if (r == null) {
                    Registration reg = bySubgroup.get(shard.subgroupName());
                    if (reg == null) {
                        return;
                    }
                    r = replicas.computeIfAbsent(key(shard.subgroup(), shard.shard()), x -> new Replica(reg));
                }
                writeSnapshot(r.instance, out);
            }

            @Override
            public void readState(ShardLayout shard, int viewId, InputStream in) throws IOException {
                Registration reg = bySubgroup.get(shard.subgroupName());
                if (reg == null) {
                    return;
                }
                Replica r = new Replica(reg);
                readSnapshot(r.instance, in);
                replicas.put(key(shard.subgroup(), shard.shard()), r);
            }
        };
    }

    private void writeSnapshot(Object instance, OutputStream out) throws IOException {
        if (instance instanceof Snapshotting s) {
            s.writeSnapshot(out);
        } else if (instance instanceof CodecState<?> c) {
            out.write(codec.encode(stateType(instance.getClass()), c.snapshot()));
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void readSnapshot(Object instance, InputStream in) throws IOException {
        if (instance instanceof Snapshotting s) {
            s.readSnapshot(in);
        } else if (instance instanceof CodecState c) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            c.restore(codec.decode(stateType(instance.getClass()), bytes.toByteArray()));
        }
    }

    /** The {@code S} of a {@code CodecState<S>} implementation. */
    static Type stateType(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            for (Type t : k.getGenericInterfaces()) {
                if (t instanceof ParameterizedType p && p.getRawType() == CodecState.class) {
                    return p.getActualTypeArguments()[0];
                }
            }
        }
        throw new IllegalArgumentException(c.getName() + " implements CodecState without a concrete state type");
    }

    /** Calls still waiting for replies (diagnostics). */
    public List<String> pendingCalls() {
        List<String> out = new ArrayList<>();
        pending.forEach((id, p) -> out.add(id + ": " + p.results() + " waiting for " + p.results().waitingFor()));
        return out;
    }
}
