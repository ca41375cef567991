package io.derecho.config;

import java.util.List;

/**
 * One shard of a subgroup in a static layout.
 *
 * @param members node ids of the shard, in rank order
 * @param senders node ids that may send (a subset of members); empty means every member
 * @param mode    ORDERED (total order) or UNORDERED (FIFO per sender)
 * @param profile name of the profile with the shard's multicast settings
 */
public record ShardSpec(List<Integer> members, List<Integer> senders, Mode mode, String profile) {
    public ShardSpec {
        members = List.copyOf(members);
        senders = senders == null ? List.of() : List.copyOf(senders);
        mode = mode == null ? Mode.ORDERED : mode;
        profile = profile == null ? Profile.DEFAULT : profile;
    }

    /** The senders in rank order of the shard. */
    public List<Integer> effectiveSenders() {
        if (senders.isEmpty()) {
            return members;
        }
        return members.stream().filter(senders::contains).toList();
    }
}
