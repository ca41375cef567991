package io.derecho.testing.lin;

/** What a client learned about one of its operations. */
public enum Outcome {
    /** The operation took effect exactly once, between invocation and response, and returned its result. */
    OK,
    /** The operation definitely did not take effect (rejected before it could be applied). */
    FAILED,
    /**
     * The client does not know (timed out, lost its connection, crashed): the operation may never take effect,
     * or take effect at any time after its invocation, even after the client gave up.
     */
    UNKNOWN
}
