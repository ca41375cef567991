package io.derecho.runtime;

import io.derecho.membership.LayoutPolicy;
import io.derecho.membership.MembershipSettings;
import io.derecho.membership.StateTransfer;
import io.derecho.membership.ViewListener;
import java.time.Duration;

/**
 * How a {@link DerechoNode} takes part in its group, beyond the group configuration.
 *
 * @param join          false: this node is one of the configuration's initial members and forms
 *                      view 0 with them; true: it joins the running group through any configured
 *                      member (a new node, or a configured one coming back after it was removed)
 * @param listenHost    where to listen; null: the configured address of this node id
 * @param listenPort    where to listen; 0 with a null host: the configured address
 * @param joinTimeout   how long a joiner keeps asking before it gives up
 * @param settings      failure detection
 * @param layouts       how each view is laid out; null: the configuration's static shards
 * @param state         the state-transfer hook
 * @param viewListener  told about each view, on the protocol loop
 * @param p2pListener   receives the point-to-point messages other members send this node
 */
public record NodeOptions(boolean join, String listenHost, int listenPort, Duration joinTimeout,
                          MembershipSettings settings, LayoutPolicy layouts, StateTransfer state,
                          ViewListener viewListener, P2PListener p2pListener) {

    public static NodeOptions defaults() {
        return new NodeOptions(false, null, 0, Duration.ofSeconds(30), MembershipSettings.defaults(), null,
                StateTransfer.NONE, view -> { }, (from, message) -> { });
    }

    /** Joins the running group instead of forming view 0. */
    public NodeOptions joining() {
        return new NodeOptions(true, listenHost, listenPort, joinTimeout, settings, layouts, state, viewListener, p2pListener);
    }

    /** Listens at {@code host:port} (a joiner that is not in the configuration needs one). */
    public NodeOptions listenAt(String host, int port) {
        return new NodeOptions(join, host, port, joinTimeout, settings, layouts, state, viewListener, p2pListener);
    }

    public NodeOptions joinTimeout(Duration t) {
        return new NodeOptions(join, listenHost, listenPort, t, settings, layouts, state, viewListener, p2pListener);
    }

    public NodeOptions settings(MembershipSettings s) {
        return new NodeOptions(join, listenHost, listenPort, joinTimeout, s, layouts, state, viewListener, p2pListener);
    }

    public NodeOptions layouts(LayoutPolicy l) {
        return new NodeOptions(join, listenHost, listenPort, joinTimeout, settings, l, state, viewListener, p2pListener);
    }

    public NodeOptions state(StateTransfer s) {
        return new NodeOptions(join, listenHost, listenPort, joinTimeout, settings, layouts, s, viewListener, p2pListener);
    }

    public NodeOptions viewListener(ViewListener l) {
        return new NodeOptions(join, listenHost, listenPort, joinTimeout, settings, layouts, state, l, p2pListener);
    }

    public NodeOptions p2pListener(P2PListener l) {
        return new NodeOptions(join, listenHost, listenPort, joinTimeout, settings, layouts, state, viewListener, l);
    }
}
