package io.derecho.membership;

/** Told about views as they are installed, on the protocol loop (keep it short). */
public interface ViewListener {
    /** {@code view} is installed; deliveries of the previous view were all handed to delivery before. */
    void onViewInstalled(View view);

    /**
     * {@code view} is about to start: called before this node sends anything in it (the transport
     * learns the joiners' addresses and forgets the departed here).
     */
    default void beforeViewStarts(View view) {
    }

    /** This node, new to {@code shard}, received and applied its state from {@code donor}. */
    default void onStateReceived(io.derecho.multicast.ShardLayout shard, int donor, long bytes, int chunks) {
    }

    /** This node stopped: it was removed from the view, it cannot see a majority, or it could not join. */
    default void onStopped(String reason) {
    }

    /** This node suspects member {@code nodeId} of having failed (not a clean leave); a view without it follows. */
    default void onFailureSuspected(int nodeId) {
    }

    /** While joining: what the group answered (pending, redirected, refused for now), for logs. */
    default void onJoinProgress(String message) {
    }
}
