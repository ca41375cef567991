package io.derecho.membership;

import io.derecho.config.GroupConfig;
import io.derecho.config.MemberSpec;

/**
 * Who a node is and how its group is laid out.
 *
 * @param config   the group: name, initial members (view 0), profiles, static subgroups
 * @param nodeId   this node's id
 * @param address  where this node listens, {@code host:port}; travels to the other members
 * @param layouts  how views get their subgroups and shards
 * @param settings failure detection
 * @param state    the state-transfer hook
 */
public record MemberSetup(GroupConfig config, int nodeId, String address, LayoutPolicy layouts,
                          MembershipSettings settings, StateTransfer state) {

    /** A member of {@code config} with its configured address, the static layout, default settings, no state. */
    public static MemberSetup of(GroupConfig config, int nodeId) {
        String address = config.member(nodeId).map(MemberSetup::address).orElse(null);
        return new MemberSetup(config, nodeId, address, LayoutPolicy.of(config), MembershipSettings.defaults(),
                StateTransfer.NONE);
    }

    public static String address(MemberSpec m) {
        return m.host() + ":" + m.port();
    }

    public MemberSetup withAddress(String a) {
        return new MemberSetup(config, nodeId, a, layouts, settings, state);
    }

    public MemberSetup withLayouts(LayoutPolicy l) {
        return new MemberSetup(config, nodeId, address, l, settings, state);
    }

    public MemberSetup withSettings(MembershipSettings s) {
        return new MemberSetup(config, nodeId, address, layouts, s, state);
    }

    public MemberSetup withState(StateTransfer s) {
        return new MemberSetup(config, nodeId, address, layouts, settings, s);
    }
}
