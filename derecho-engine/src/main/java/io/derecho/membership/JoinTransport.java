package io.derecho.membership;

import java.util.function.Consumer;

/**
 * How a joining node reaches a member: one connection per attempt, one request, any number of
 * replies, then the connection ends. Callbacks run on the protocol loop.
 */
public interface JoinTransport {

    /** An attempt under way. */
    interface Attempt {
        void cancel();
    }

    /**
     * Sends {@code request} to the member listening at {@code address}; each reply goes to
     * {@code onReply}, and {@code onClosed} runs once when the attempt ends (with a reason).
     */
    Attempt connect(String address, JoinMessages.Request request, Consumer<JoinMessages.Reply> onReply,
                    Consumer<String> onClosed);
}
