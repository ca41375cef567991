package io.derecho.multicast;

import io.derecho.config.GroupConfig;
import io.derecho.config.MemberSpec;
import io.derecho.config.ShardSpec;
import io.derecho.config.SubgroupSpec;
import io.derecho.sst.SectionSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The subgroups and shards of one view and the SST sections they need: per shard one counter
 * section held by every member, and per sender one slot ring.
 */
public final class GroupLayout {
    /** Slot header: index+1 (long), payload length (int), flags (int). */
    static final int SLOT_HEADER = 16;

    private final int viewId;
    private final int[] members;
    private final List<ShardLayout> shards;
    private final List<SectionSpec> sections = new ArrayList<>();
    private final int[] counterSection;
    private final int[][] slotSection;
    private final int membershipSection;

    public GroupLayout(int viewId, int[] members, List<ShardLayout> shards) {
        this.viewId = viewId;
        this.members = members.clone();
        this.shards = List.copyOf(shards);
        this.counterSection = new int[shards.size()];
        this.slotSection = new int[shards.size()][];
        for (ShardLayout s : shards) {
            int[] ranks = ranks(s.members());
            int k = s.senders().length;
            counterSection[s.index()] = addSection(8 * ShardCounters.size(k), ranks, ranks, true);
            slotSection[s.index()] = new int[k];
            for (int r = 0; r < k; r++) {
                int size = s.profile().window() * slotSize(s);
                slotSection[s.index()][r] = addSection(size, new int[] {rankOf(s.senders()[r])}, ranks, false);
            }
        }
        int[] all = new int[members.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        membershipSection = addSection(8 * membershipLongs(members.length), all, all, true);
    }

    /** Every layout accepts frames of at least this size. */
    public static final int MIN_MAX_FRAME_BYTES = 128 * 1024;

    /** Joins one view change can carry (more joiners wait for the next one). */
    public static final int JOIN_SLOTS = 8;
    /** Longs holding a joiner's address ({@code host:port} in UTF-8) in the membership section. */
    public static final int ADDRESS_LONGS = 8;

    /**
     * Longs in the membership section of a view with {@code n} members (see the membership package):
     * 8 fixed, a suspicion per member, a change list of up to {@code n + JOIN_SLOTS} entries, and
     * the address of each join in it.
     */
    public static int membershipLongs(int n) {
        return 8 + n + (n + JOIN_SLOTS) + JOIN_SLOTS * ADDRESS_LONGS;
    }

    /** The section every member holds for heartbeats, suspicions and the view-change protocol. */
    public int membershipSection() {
        return membershipSection;
    }

    /** The static layout of a configuration: view 0 with every configured member. */
    public static GroupLayout fromConfig(GroupConfig config) {
        return fromConfig(config, 0, config.members().stream().mapToInt(MemberSpec::id).toArray());
    }

    /**
     * The configured layout restricted to {@code members} (a later view of a static group): shards
     * keep their surviving members and senders, in configured order; a shard left without members
     * is left out of the view, one left without senders stays (its members keep its state, and
     * deliver nothing until a sender rejoins).
     */
    public static GroupLayout fromConfig(GroupConfig config, int viewId, int[] members) {
        java.util.Set<Integer> present = new java.util.HashSet<>();
        for (int m : members) {
            present.add(m);
        }
        List<ShardLayout> shards = new ArrayList<>();
        for (int g = 0; g < config.subgroups().size(); g++) {
            SubgroupSpec sg = config.subgroups().get(g);
            for (int s = 0; s < sg.shards().size(); s++) {
                ShardSpec spec = sg.shards().get(s);
                int[] shardMembers = spec.members().stream().filter(present::contains).mapToInt(Integer::intValue).toArray();
                int[] senders = spec.effectiveSenders().stream().filter(present::contains).mapToInt(Integer::intValue).toArray();
                if (shardMembers.length > 0) {
                    shards.add(new ShardLayout(shards.size(), g, sg.name(), s, shardMembers, senders,
                            spec.mode(), config.profile(spec.profile())));
                }
            }
        }
        return new GroupLayout(viewId, members, shards);
    }

    /** The shard {@code shard} of subgroup {@code subgroup} in this view, or null if it has none. */
    public ShardLayout findShard(int subgroup, int shard) {
        for (ShardLayout s : shards) {
            if (s.subgroup() == subgroup && s.shard() == shard) {
                return s;
            }
        }
        return null;
    }

    /** The largest frame this layout can produce: a push of every section, or one block. */
    public int maxFrameBytes() {
        long max = MIN_MAX_FRAME_BYTES; // room for control frames such as state-transfer chunks
        for (SectionSpec s : sections) {
            max += s.sizeBytes() + 12L * (s.sizeBytes() / SLOT_HEADER + 1);
        }
        for (ShardLayout s : shards) {
            max = Math.max(max, LargeTransfer.HEADER + (long) s.profile().blockSize());
        }
        return (int) Math.min(Integer.MAX_VALUE - 8, max + 64);
    }

    static int slotSize(ShardLayout s) {
        return SLOT_HEADER + ((s.profile().maxSmcPayload() + 7) & ~7);
    }

    private int addSection(int size, int[] holders, int[] subscribers, boolean coalesce) {
        int id = sections.size();
        sections.add(new SectionSpec(id, size, holders, subscribers, coalesce));
        return id;
    }

    private int[] ranks(int[] nodeIds) {
        int[] r = new int[nodeIds.length];
        for (int i = 0; i < nodeIds.length; i++) {
            r[i] = rankOf(nodeIds[i]);
        }
        return r;
    }

    public int rankOf(int nodeId) {
        int r = ShardLayout.indexOf(members, nodeId);
        if (r < 0) {
            throw new IllegalArgumentException("node " + nodeId + " is not a member of view " + viewId);
        }
        return r;
    }

    public int viewId() {
        return viewId;
    }

    public int[] members() {
        return members.clone();
    }

    public List<ShardLayout> shards() {
        return shards;
    }

    /** The shard {@code shard} of subgroup {@code subgroup}. */
    public ShardLayout shard(int subgroup, int shard) {
        for (ShardLayout s : shards) {
            if (s.subgroup() == subgroup && s.shard() == shard) {
                return s;
            }
        }
        throw new IllegalArgumentException("no shard " + shard + " in subgroup " + subgroup);
    }

    public List<SectionSpec> sections() {
        return sections;
    }

    int counterSection(int shardIndex) {
        return counterSection[shardIndex];
    }

    int slotSection(int shardIndex, int senderRank) {
        return slotSection[shardIndex][senderRank];
    }
}
