package io.derecho.layout;

import static io.derecho.config.ConfigException.check;

import io.derecho.config.Mode;
import io.derecho.config.Profile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How one subgroup is laid out in every view: its shards, how many members each shard must and
 * may have, which nodes are reserved for which shard, who sends, the delivery mode and the
 * settings profile. Validated at construction; an error names the key
 * ({@code layout.subgroups.<name>.<field>}) and the bad value.
 *
 * @param name               the subgroup's name, unique in the layout
 * @param shards             number of shards (at least 1)
 * @param minMembersPerShard a view in which some shard cannot get this many members is inadequate
 * @param maxMembersPerShard shards grow with the view up to this many members ({@link #UNBOUNDED}
 *                           for no limit)
 * @param reservedNodeIds    empty, or one list per shard: nodes that are placed in that shard
 *                           whenever they are in the view, and in no other shard of any subgroup
 *                           that does not reserve them too. Reserving a node in several subgroups
 *                           is how subgroups overlap on chosen nodes
 * @param senders            which members of each shard may send
 * @param mode               ORDERED or UNORDERED, for every shard of the subgroup
 * @param profile            name of the multicast settings profile of every shard of the subgroup
 */
public record SubgroupLayoutSpec(String name, int shards, int minMembersPerShard, int maxMembersPerShard,
                                 List<List<Integer>> reservedNodeIds, SendersRule senders, Mode mode,
                                 String profile) {

    /** No upper limit on the members of a shard. */
    public static final int UNBOUNDED = Integer.MAX_VALUE;

    public SubgroupLayoutSpec {
        check(name != null && !name.isBlank(), "layout.subgroups[].name", name, "must be set");
        String k = "layout.subgroups." + name + ".";
        check(shards >= 1, k + "shards", shards, "must be at least 1");
        check(minMembersPerShard >= 1, k + "minMembersPerShard", minMembersPerShard, "must be at least 1");
        check(maxMembersPerShard >= minMembersPerShard, k + "maxMembersPerShard", maxMembersPerShard,
                "must be at least minMembersPerShard (" + minMembersPerShard + ")");
        reservedNodeIds = copyReserved(reservedNodeIds);
        validateReserved(k + "reservedNodeIds", reservedNodeIds, shards, maxMembersPerShard);
        senders = senders == null ? SendersRule.all() : senders;
        validateSenders(k + "senders", senders);
        mode = mode == null ? Mode.ORDERED : mode;
        profile = profile == null ? Profile.DEFAULT : profile;
        check(!profile.isBlank(), k + "profile", profile, "must name a profile");
    }

    /** A subgroup with no reserved nodes in which every member sends. */
    public SubgroupLayoutSpec(String name, int shards, int minMembersPerShard, int maxMembersPerShard) {
        this(name, shards, minMembersPerShard, maxMembersPerShard, List.of(), SendersRule.all(), Mode.ORDERED,
                Profile.DEFAULT);
    }

    /** The nodes reserved for {@code shard} (empty if none). */
    public List<Integer> reserved(int shard) {
        return reservedNodeIds.isEmpty() ? List.of() : reservedNodeIds.get(shard);
    }

    private static List<List<Integer>> copyReserved(List<List<Integer>> reserved) {
        if (reserved == null) {
            return List.of();
        }
        List<List<Integer>> out = new ArrayList<>();
        for (List<Integer> shard : reserved) {
            out.add(shard == null ? List.of() : List.copyOf(shard));
        }
        return List.copyOf(out);
    }

    private static void validateReserved(String key, List<List<Integer>> reserved, int shards, int max) {
        if (reserved.isEmpty()) {
            return;
        }
        check(reserved.size() == shards, key, reserved, "needs one list per shard (shards = " + shards + ")");
        Map<Integer, Integer> shardOf = new HashMap<>();
        for (int s = 0; s < reserved.size(); s++) {
            List<Integer> ids = reserved.get(s);
            check(ids.size() <= max, key, reserved, "shard " + s + " reserves " + ids.size()
                    + " nodes, more than maxMembersPerShard (" + max + ")");
            for (int id : ids) {
                check(id >= 0, key, reserved, "node ids must be non-negative");
                Integer before = shardOf.putIfAbsent(id, s);
                check(before == null || before != s, key, reserved, "shard " + s + " lists node " + id + " twice");
                check(before == null, key, reserved, "node " + id + " is reserved in shards " + before + " and " + s
                        + "; a node can be in only one shard of a subgroup");
            }
        }
    }

    private static void validateSenders(String key, SendersRule senders) {
        switch (senders) {
            case SendersRule.All all -> {
            }
            case SendersRule.FirstN f -> check(f.n() >= 1, key, f, "the first n must be at least 1");
            case SendersRule.Explicit e -> {
                check(!e.nodeIds().isEmpty(), key, e, "must list at least one node id");
                Set<Integer> seen = new HashSet<>();
                for (int id : e.nodeIds()) {
                    check(id >= 0, key, e, "node ids must be non-negative");
                    check(seen.add(id), key, e, "lists node " + id + " twice");
                }
            }
        }
    }
}
