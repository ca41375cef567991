package io.derecho.multicast;

import io.derecho.config.Mode;
import io.derecho.config.Profile;

/**
 * One shard of one subgroup as this view lays it out.
 *
 * @param index       position of the shard among all shards of the group (stable for the view)
 * @param subgroup    subgroup index
 * @param subgroupName subgroup name
 * @param shard       shard number within the subgroup
 * @param members     node ids in shard rank order
 * @param senders     node ids allowed to send, in shard rank order
 * @param mode        ORDERED or UNORDERED
 * @param profile     multicast settings
 */
public record ShardLayout(int index, int subgroup, String subgroupName, int shard, int[] members, int[] senders,
                          Mode mode, Profile profile) {

    public boolean hasMember(int nodeId) {
        return indexOf(members, nodeId) >= 0;
    }

    /** Position of {@code nodeId} among the senders, or -1. */
    public int senderRank(int nodeId) {
        return indexOf(senders, nodeId);
    }

    static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return subgroupName + "/" + shard + " members=" + java.util.Arrays.toString(members)
                + " senders=" + java.util.Arrays.toString(senders) + " " + mode + " profile=" + profile.name();
    }
}
