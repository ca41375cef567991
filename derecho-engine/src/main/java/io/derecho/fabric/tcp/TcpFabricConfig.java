package io.derecho.fabric.tcp;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Static configuration of one node's TCP fabric: who this node is, where it listens and where
 * every other member listens. Validated once, here; a bad value fails with a message naming the
 * field and the value.
 *
 * @param groupName     the group's name; a peer presenting another name is refused. At most 65535
 *                      bytes of UTF-8 (it travels with a 16-bit length).
 * @param myNodeId      this node's id (non-negative)
 * @param listenAddress where this node accepts connections from members with higher ids
 * @param peers         every other member of the group, by node id; must not contain {@code
 *                      myNodeId}. This node dials the peers with lower ids and accepts the others.
 * @param maxFrameBytes the largest frame body accepted or sent; a larger length prefix closes the
 *                      link
 */
public record TcpFabricConfig(
        String groupName,
        int myNodeId,
        InetSocketAddress listenAddress,
        Map<Integer, InetSocketAddress> peers,
        int maxFrameBytes) {

    /** A sensible bound for a frame body: 16 MiB. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

    /** The largest group name the handshake can carry, in UTF-8 bytes. */
    public static final int MAX_GROUP_NAME_BYTES = 0xFFFF;

    public TcpFabricConfig {
        if (groupName == null || groupName.isBlank()) {
            throw new IllegalArgumentException(
                    "TcpFabricConfig.groupName must be a non-blank string, was "
                            + (groupName == null ? "null" : "'" + groupName + "'"));
        }
        int nameBytes = groupName.getBytes(StandardCharsets.UTF_8).length;
        if (nameBytes > MAX_GROUP_NAME_BYTES) {
            throw new IllegalArgumentException(
                    "TcpFabricConfig.groupName must be at most " + MAX_GROUP_NAME_BYTES
                            + " bytes of UTF-8, was " + nameBytes + " bytes");
        }
        if (myNodeId < 0) {
            throw new IllegalArgumentException(
                    "TcpFabricConfig.myNodeId must be >= 0, was " + myNodeId);
        }
        if (listenAddress == null) {
            throw new IllegalArgumentException("TcpFabricConfig.listenAddress must not be null");
        }
        if (peers == null) {
            throw new IllegalArgumentException(
                    "TcpFabricConfig.peers must not be null (use an empty map for a group of one)");
        }
        for (Map.Entry<Integer, InetSocketAddress> e : peers.entrySet()) {
            Integer id = e.getKey();
            if (id == null || id < 0) {
                throw new IllegalArgumentException(
                        "TcpFabricConfig.peers has an invalid node id " + id + " (must be >= 0)");
            }
            if (id == myNodeId) {
                throw new IllegalArgumentException(
                        "TcpFabricConfig.peers must not contain this node's own id " + myNodeId);
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException(
                        "TcpFabricConfig.peers has no address for node " + id);
            }
        }
        peers = Map.copyOf(peers);
        if (maxFrameBytes <= 0 || maxFrameBytes > Integer.MAX_VALUE - 4) {
            throw new IllegalArgumentException(
                    "TcpFabricConfig.maxFrameBytes must be between 1 and " + (Integer.MAX_VALUE - 4)
                            + ", was " + maxFrameBytes);
        }
    }

    /** A configuration with {@link #DEFAULT_MAX_FRAME_BYTES}. */
    public TcpFabricConfig(String groupName, int myNodeId, InetSocketAddress listenAddress,
                           Map<Integer, InetSocketAddress> peers) {
        this(groupName, myNodeId, listenAddress, peers, DEFAULT_MAX_FRAME_BYTES);
    }

    /** Whether this node dials {@code peerNodeId} (true) or waits for it to dial (false). */
    public boolean dials(int peerNodeId) {
        return peerNodeId < myNodeId;
    }
}
