/**
 * Replicated objects and typed RPC among them, on top of a node's membership and multicast.
 *
 * <p>A class becomes the type of a subgroup ({@link io.derecho.object.Group.Builder#replicate});
 * every member of a shard holds one replica. {@link io.derecho.object.Replicated#ordered ordered}
 * calls are multicast in the shard and run by every replica in the shard's delivery order, one at a
 * time per node, under the replica's write lock, each member replying point to point to the caller;
 * {@link io.derecho.object.Replicated#p2p queries} run on one replica under its read lock; members
 * outside the subgroup and {@link io.derecho.object.ExternalClient external clients} query one
 * member or have a member relay an ordered call. Methods are named on the wire by a stable id from
 * their name and erased parameter types; arguments, replies and snapshots go through
 * {@link io.derecho.codec.Codec}.
 *
 * <p>Invariants: replicas of a shard that are in the same view have run the same ordered calls in
 * the same order (virtual synchrony of the multicast below); an ordered call's reply from a member
 * reflects every call before it in that order (so ordered calls, reads included, are linearizable);
 * a member new to a shard gets the state of a previous holder ({@link io.derecho.object.Snapshotting}
 * or {@link io.derecho.object.CodecState}) before it runs any call there; a reply that will not come
 * (its member left, the caller stopped) completes with a typed exception instead of hanging.
 *
 * <p>{@link io.derecho.object.ReplicaHost} is the engine of one node and is driven by the node
 * (deliveries, point-to-point messages, views); {@link io.derecho.object.Group} wires it to a
 * {@link io.derecho.runtime.DerechoNode}, and the tests drive it in the simulator as well.
 */
package io.derecho.object;
