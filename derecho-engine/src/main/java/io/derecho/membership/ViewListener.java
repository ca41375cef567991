package io.derecho.membership;

/** Told about views as they are installed, on the protocol loop (keep it short). */
public interface ViewListener {
    /** {@code view} is installed; deliveries of the previous view were all handed to delivery before. */
    void onViewInstalled(View view);

    /** This node stopped: it was removed from the view, or it cannot see a majority. */
    default void onStopped(String reason) {
    }
}
