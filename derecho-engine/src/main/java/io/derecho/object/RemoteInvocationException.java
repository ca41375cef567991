package io.derecho.object;

/**
 * The method threw on a member: names the member and carries the remote exception's class and
 * message (the remote stack trace stays in that member's log).
 */
public class RemoteInvocationException extends RpcException {
    private final int member;
    private final String remoteType;

    public RemoteInvocationException(int member, String method, String remoteType, String remoteMessage) {
        super(method + " threw on node " + member + ": " + remoteType + (remoteMessage == null ? "" : ": " + remoteMessage));
        this.member = member;
        this.remoteType = remoteType;
    }

    /** The member whose replica threw. */
    public int member() {
        return member;
    }

    /** The class name of the exception the method threw there. */
    public String remoteType() {
        return remoteType;
    }
}
