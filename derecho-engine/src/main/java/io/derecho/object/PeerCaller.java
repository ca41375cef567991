package io.derecho.object;

import io.derecho.membership.View;
import io.derecho.multicast.ShardLayout;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls into the shards of a replicated type from any node, a member of that subgroup or not:
 * queries to one member, ordered calls relayed through a member, and one call per shard.
 *
 * @param <T> the replicated type
 */
public final class PeerCaller<T> {
    private final ReplicaHost host;
    private final Class<T> type;
    private final String subgroupName;
    private final AtomicInteger next = new AtomicInteger();

    PeerCaller(ReplicaHost host, Class<T> type) {
        this.host = host;
        this.type = type;
        this.subgroupName = host.subgroupOf(type);
    }

    /** Runs the query {@code call} on member {@code node} (which must serve {@code shard}). */
    public <R> QueryResults<R> p2p(int node, int shard, Call<T, R> call) {
        ShardLayout s = shard(shard);
        return host.p2p(type, s.subgroup(), shard, node, call.method(type), call.args(), false);
    }

    /** Runs the query {@code call} on one member of {@code shard} (members in turn). */
    public <R> QueryResults<R> query(int shard, Call<T, R> call) {
        return query(shard, call.method(type), call.args());
    }

    /** As {@link #query(int, Call)} for a {@link Method} of the type (for proxies). */
    public <R> QueryResults<R> query(int shard, Method method, Object... args) {
        ShardLayout s = shard(shard);
        return host.p2p(type, s.subgroup(), shard, pick(s), method, args, false);
    }

    /**
     * Has a member of {@code shard} run {@code call} as an ordered call; the reply is that member's
     * replica's (the same as every other member's), with the call's version, sent once every
     * replica replied (or left): when it arrives, every replica in the view has applied the call.
     */
    public <R> QueryResults<R> relay(int shard, Call<T, R> call) {
        return relay(shard, call.method(type), call.args());
    }

    /** As {@link #relay(int, Call)} for a {@link Method} of the type (for proxies). */
    public <R> QueryResults<R> relay(int shard, Method method, Object... args) {
        ShardLayout s = shard(shard);
        return host.p2p(type, s.subgroup(), shard, pick(s), method, args, true);
    }

    /** The query {@code call} on one member of every shard, in shard order. */
    public <R> List<QueryResults<R>> queryEachShard(Call<T, R> call) {
        List<QueryResults<R>> out = new ArrayList<>();
        for (int shard = 0; shard < shardCount(); shard++) {
            out.add(query(shard, call));
        }
        return out;
    }

    /** Shards of the type's subgroup in the current view. */
    public int shardCount() {
        View v = host.view();
        if (v == null) {
            return 0;
        }
        return (int) v.layout().shards().stream().filter(s -> s.subgroupName().equals(subgroupName)).count();
    }

    /** The members of {@code shard} in the current view. */
    public int[] members(int shard) {
        return shard(shard).members();
    }

    private ShardLayout shard(int shard) {
        View v = host.view();
        if (v != null) {
            for (ShardLayout s : v.layout().shards()) {
                if (s.subgroupName().equals(subgroupName) && s.shard() == shard) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("subgroup " + subgroupName + " has no shard " + shard + " in "
                + (v == null ? "any view yet" : v));
    }

    /** This node when it serves the shard, otherwise its members in turn. */
    private int pick(ShardLayout s) {
        if (s.hasMember(host.nodeId())) {
            return host.nodeId();
        }
        int[] m = s.members();
        return m[Math.floorMod(next.getAndIncrement(), m.length)];
    }
}
