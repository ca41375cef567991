package io.derecho.object;

/** The member does not know the method id (a different release of the type, or not a replicated method). */
public class UnknownMethodException extends RpcException {
    public UnknownMethodException(String message) {
        super(message);
    }
}
