package io.derecho.object;

/** The member a reply was expected from left the view (failed or left) before replying. */
public class NodeRemovedException extends RpcException {
    private final int member;

    public NodeRemovedException(int member, String what) {
        super("node " + member + " left the group before replying to " + what);
        this.member = member;
    }

    public int member() {
        return member;
    }
}
