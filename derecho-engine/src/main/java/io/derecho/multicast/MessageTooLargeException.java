package io.derecho.multicast;

/** A message larger than the shard profile's {@code maxPayload}. */
public class MessageTooLargeException extends IllegalArgumentException {
    public MessageTooLargeException(String message) {
        super(message);
    }
}
