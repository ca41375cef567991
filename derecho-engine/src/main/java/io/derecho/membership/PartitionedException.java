package io.derecho.membership;

/** This member cannot see a majority of its view: it stopped delivering and will not install a view. */
public class PartitionedException extends IllegalStateException {
    public PartitionedException(String message) {
        super(message);
    }
}
