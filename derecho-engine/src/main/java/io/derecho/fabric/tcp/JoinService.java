package io.derecho.fabric.tcp;

/**
 * Receives the join requests (JOIN messages) arriving at this node's listen port, from processes
 * that are not members yet. Set with {@link TcpFabric#joinService}; called on the fabric's event
 * loop.
 */
public interface JoinService {

    /**
     * One join request. {@code payload} is the joiner's opaque request (at most
     * {@link TcpFabric#MAX_JOIN_BYTES}), owned by the callee. Answer through {@code channel}, now or
     * later (e.g. once a view change that adds the joiner is installed); the connection stays open,
     * with no idle timeout, until a reply with {@code last} is flushed, the joiner goes away or the
     * fabric closes. An exception thrown here closes the connection.
     */
    void onJoinRequest(byte[] payload, JoinChannel channel);
}
