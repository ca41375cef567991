package io.derecho.membership;

import io.derecho.multicast.GroupLayout;
import java.util.Arrays;

/**
 * One view of the group: its id, its members in rank order, the members that left since the
 * previous view, and the subgroup/shard layout computed for it.
 */
public record View(int id, int[] members, int[] departed, GroupLayout layout) {

    public boolean hasMember(int nodeId) {
        return rankOf(nodeId) >= 0;
    }

    public int rankOf(int nodeId) {
        for (int i = 0; i < members.length; i++) {
            if (members[i] == nodeId) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "view " + id + " " + Arrays.toString(members)
                + (departed.length == 0 ? "" : " (left: " + Arrays.toString(departed) + ")");
    }
}
