package io.derecho.sst;

/** An inbound frame that does not decode: the link it came from is closed, the core is untouched. */
public class MalformedFrameException extends RuntimeException {
    public MalformedFrameException(String message) {
        super(message);
    }
}
