package io.derecho.membership;

/** A member's side of one join request's connection. Used on the protocol loop. */
public interface JoinResponder {

    /** Sends {@code reply}; {@code last} ends the connection once it is sent. */
    void reply(JoinMessages.Reply reply, boolean last);

    /** False once the joiner hung up (or the last reply was sent). */
    boolean isOpen();
}
