package io.derecho.membership;

import io.derecho.multicast.ShardLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The state-transfer hook: when a member is new to a shard, the shard's previous leader streams it
 * the shard's state (in checksummed chunks) before the new member delivers anything there. The
 * replicated-object layer implements this; the engine alone transfers nothing.
 *
 * <p>Both methods run on the protocol loop, at a point where every delivery of the previous view
 * has been handed to the application and none of the new view yet: the state written is exactly
 * the state after the previous view's last delivery.
 */
public interface StateTransfer {

    /** Transfers nothing: new members start with an empty state. */
    StateTransfer NONE = new StateTransfer() {
        @Override
        public void writeState(ShardLayout shard, int viewId, OutputStream out) {
        }

        @Override
        public void readState(ShardLayout shard, int viewId, InputStream in) {
        }
    };

    /** Donor side: writes the state of {@code shard} as of the end of the view before {@code viewId}. */
    void writeState(ShardLayout shard, int viewId, OutputStream out) throws IOException;

    /** New member side: replaces this node's state of {@code shard} with the one read from {@code in}. */
    void readState(ShardLayout shard, int viewId, InputStream in) throws IOException;
}
