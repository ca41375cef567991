package io.derecho.membership;

import io.derecho.multicast.ShardFrontier;
import java.util.List;

/**
 * One node's view of the group at one moment (for monitoring): the installed view (null while
 * joining), why the node stopped (null while running), the membership changes proposed or
 * committed in this view and not installed yet, the members it suspects, whether the view is
 * wedged for a change, and the frontiers of its shards.
 */
public record NodeStatus(int nodeId, View view, String stopped, List<String> pendingChanges, List<Integer> suspected,
                         boolean wedged, List<ShardFrontier> shards) {
}
