package io.derecho.codec;

/**
 * A value that cannot be encoded, a type the codec does not know how to handle, or bytes that are
 * not a valid encoding of the expected type. Decoders raise only this exception for malformed
 * input; the message says what was wrong and, where known, at which byte offset.
 */
public class CodecException extends RuntimeException {
    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
