package io.derecho.object;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A replicated type that writes its own state for state transfer (to members new to its shard).
 * Called between views: no ordered handler runs at the same time.
 */
public interface Snapshotting {
    void writeSnapshot(OutputStream out) throws IOException;

    /** Replaces this replica's state with the one read from {@code in}. */
    void readSnapshot(InputStream in) throws IOException;
}
