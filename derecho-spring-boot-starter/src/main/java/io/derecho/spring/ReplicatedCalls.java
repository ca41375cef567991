package io.derecho.spring;

import io.derecho.codec.BinaryCodec;
import io.derecho.codec.Codec;
import io.derecho.multicast.ShardLayout;
import io.derecho.object.Call;
import io.derecho.object.Group;
import io.derecho.object.PeerCaller;
import io.derecho.object.QueryResults;
import io.derecho.object.Replicated;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Calls into a replicated bean's subgroup with every detail in view: the shard a key maps to,
 * the full {@link QueryResults} of a call (each replica's reply, the call's version), one query
 * per shard. The bean's proxy routes its calls through here; use it directly when the proxy's
 * single return value is not enough.
 *
 * <pre>{@code
 * ReplicatedCalls<KvStore> calls = derecho.calls(KvStore.class);
 * QueryResults<String> r = calls.ordered("user:7", Call.of(KvStore::put, "user:7", "Ada"));
 * long version = r.version().join();           // view id and position in the shard's order
 * Map<Integer, String> each = r.all().join();  // every replica's reply
 * }</pre>
 *
 * @param <T> the replicated bean's class
 */
public final class ReplicatedCalls<T> {
    private static final Codec KEYS = BinaryCodec.create();

    private final Derecho derecho;
    private final Class<T> type;
    private final String subgroup;
    private volatile PeerCaller<T> peers; // one per type: it keeps the turn of the members it queries

    ReplicatedCalls(Derecho derecho, Class<T> type, String subgroup) {
        this.derecho = derecho;
        this.type = type;
        this.subgroup = subgroup;
    }

    /**
     * The shards of the subgroup as configured (statically or by the dynamic layout): fixed, so a
     * key maps to the same shard on every node and in every view (a shard left without members
     * makes its keys unavailable rather than moving them).
     */
    public int shardCount() {
        int configured = derecho.shardCount(subgroup);
        return configured >= 0 ? configured : peers().shardCount();
    }

    /** The shard {@code key} maps to: {@code floorMod(crc32c(encoded key), shards)}. */
    public int shardOf(Object key) {
        if (key == null) {
            throw new IllegalArgumentException("the shard key of a " + type.getSimpleName() + " call must not be null");
        }
        CRC32C crc = new CRC32C();
        crc.update(KEYS.encode(key.getClass(), key));
        int shards = shardCount();
        if (shards == 0) {
            throw new IllegalStateException("subgroup " + subgroup + " has no shards");
        }
        return Math.floorMod((int) crc.getValue(), shards);
    }

    /** An ordered call in the shard of {@code shardKey}, relayed through a member when this node holds none. */
    public <R> QueryResults<R> ordered(Object shardKey, Call<T, R> call) throws InterruptedException {
        return orderedInShard(shardOf(shardKey), call.method(type), call.args());
    }

    /** A query on one replica of the shard of {@code shardKey} (this node's when it holds the shard). */
    public <R> QueryResults<R> query(Object shardKey, Call<T, R> call) {
        return queryInShard(shardOf(shardKey), call.method(type), call.args());
    }

    /** The query {@code call} on one replica of every shard, in shard order (e.g. to list across shards). */
    public <R> List<QueryResults<R>> queryEachShard(Call<T, R> call) {
        Method method = call.method(type);
        List<QueryResults<R>> out = new ArrayList<>();
        for (int shard = 0; shard < shardCount(); shard++) {
            out.add(queryInShard(shard, method, call.args()));
        }
        return out;
    }

    /** An ordered call of {@code method} in {@code shard}: multicast from here when this node holds it, else relayed. */
    public <R> QueryResults<R> orderedInShard(int shard, Method method, Object... args) throws InterruptedException {
        Replicated<T> mine = myReplica(shard);
        if (mine != null) {
            long sent = System.nanoTime();
            QueryResults<R> r = mine.ordered(method, args);
            CallObserver o = derecho.observer();
            r.version().thenRun(() -> o.delivered(type, System.nanoTime() - sent));
            return r;
        }
        return peers().relay(shard, method, args);
    }

    /** A query of {@code method} on one replica of {@code shard}. */
    public <R> QueryResults<R> queryInShard(int shard, Method method, Object... args) {
        return peers().query(shard, method, args);
    }

    private PeerCaller<T> peers() {
        Group g = derecho.group(); // throws while the group is not running
        PeerCaller<T> p = peers;
        if (p == null) {
            peers = p = g.peers(type);
        }
        return p;
    }

    /** The shard for a call without a shard key: the only one, or this node's own. */
    int defaultShard(Method method) {
        int shards = shardCount();
        if (shards == 1) {
            return 0;
        }
        Group g = derecho.group();
        for (ShardLayout s : g.myShards()) {
            if (s.subgroupName().equals(subgroup)) {
                return s.shard();
            }
        }
        throw new IllegalStateException(type.getSimpleName() + "." + method.getName() + " has no @ShardKey argument and "
                + "subgroup " + subgroup + " has " + shards + " shards, none of them on node " + g.nodeId()
                + ": mark the argument that picks the shard with @ShardKey");
    }

    /** This node's handle on {@code shard}, or null when it does not hold that shard. */
    private Replicated<T> myReplica(int shard) {
        Group g = derecho.group();
        for (ShardLayout s : g.myShards()) {
            if (s.subgroupName().equals(subgroup) && s.shard() == shard) {
                Replicated<T> r = g.replicated(type);
                return r.shard() == shard ? r : null;
            }
        }
        return null;
    }

    public Class<T> type() {
        return type;
    }

    public String subgroup() {
        return subgroup;
    }
}
