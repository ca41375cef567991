package io.derecho.membership;

import io.derecho.layout.Allocation;
import io.derecho.multicast.GroupLayout;
import java.util.Arrays;

/**
 * One view of the group: its id, its members in rank order with the addresses they listen on, the
 * members that left and joined since the previous view, and the subgroup/shard layout computed for
 * it.
 *
 * @param id         view id, strictly increasing
 * @param members    node ids in rank order (survivors of the previous view first, then joiners)
 * @param addresses  where each member listens ({@code host:port}), parallel to {@code members}
 * @param departed   members of the previous view that are not in this one
 * @param joined     members that joined in this view
 * @param layout     the subgroups and shards of this view (none while inadequate)
 * @param allocation the layout allocator's result (null for a static layout); the next view's
 *                   allocation sticks to it
 * @param inadequate why the layout cannot be satisfied (the group waits for joins), or null
 * @param donors     per shard index, parallel to the shard's members: the node that transfers the
 *                   shard's state to that member ({@link #NO_TRANSFER} if the member was already
 *                   in the shard, {@link #NO_DONOR} if it is new and no previous member survived)
 */
public record View(int id, int[] members, String[] addresses, int[] departed, int[] joined, GroupLayout layout,
                   Allocation allocation, String inadequate, int[][] donors) {

    /** In {@link #donors}: the member was already in the shard. */
    public static final int NO_TRANSFER = -1;
    /** In {@link #donors}: the member is new to the shard and nobody who held its state survived. */
    public static final int NO_DONOR = -2;

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

    /** Whether {@code nodeId} joined in this view. */
    public boolean hasJoined(int nodeId) {
        for (int id : joined) {
            if (id == nodeId) {
                return true;
            }
        }
        return false;
    }

    /** Where {@code nodeId} listens, or null if it is not a member. */
    public String addressOf(int nodeId) {
        int r = rankOf(nodeId);
        return r < 0 ? null : addresses[r];
    }

    /** Whether the layout is satisfied: every shard has its minimum of members. */
    public boolean adequate() {
        return inadequate == null;
    }

    /** The node that sends {@code member} the state of shard {@code shardIndex}, or a negative marker. */
    public int donorOf(int shardIndex, int member) {
        int[] shardMembers = layout.shards().get(shardIndex).members();
        for (int i = 0; i < shardMembers.length; i++) {
            if (shardMembers[i] == member) {
                return donors[shardIndex][i];
            }
        }
        return NO_TRANSFER;
    }

    @Override
    public String toString() {
        return "view " + id + " " + Arrays.toString(members)
                + (joined.length == 0 ? "" : " (joined: " + Arrays.toString(joined) + ")")
                + (departed.length == 0 ? "" : " (left: " + Arrays.toString(departed) + ")")
                + (inadequate == null ? "" : " INADEQUATE: " + inadequate);
    }
}
