package io.derecho.multicast;

/** The view is ending (a membership change is under way): the send should be retried in the next view. */
public class ViewWedgedException extends IllegalStateException {
    public ViewWedgedException(String message) {
        super(message);
    }
}
