package io.derecho.layout;

import io.derecho.multicast.ShardLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The outcome of laying out one view: a shard layout, or the reason there can be none yet. */
public sealed interface Allocation permits Allocation.Adequate, Allocation.Inadequate {

    boolean isAdequate();

    /**
     * The allocation later views should stick to: this one when adequate; for an inadequate one,
     * the last adequate allocation before it (null if there never was one).
     */
    Adequate lastAdequate();

    /**
     * Every shard of every subgroup with its members for this view.
     *
     * <p>Structure, checked at construction: {@code shards.get(i).index() == i}; the shards of a
     * subgroup are consecutive, subgroups are numbered 0, 1, ... in order and shards 0, 1, ...
     * within their subgroup; a subgroup has one name, distinct from the others; each shard has at
     * least one member and no member twice; senders are distinct members listed in shard rank
     * order. The arrays are copied in and must not be modified by readers.
     *
     * @param shards every shard, in index order
     */
    record Adequate(List<ShardLayout> shards) implements Allocation {
        public Adequate {
            List<ShardLayout> copy = new ArrayList<>(shards.size());
            for (ShardLayout s : shards) {
                copy.add(new ShardLayout(s.index(), s.subgroup(), s.subgroupName(), s.shard(), s.members().clone(),
                        s.senders().clone(), s.mode(), s.profile()));
            }
            shards = List.copyOf(copy);
            validate(shards);
        }

        private static void validate(List<ShardLayout> shards) {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < shards.size(); i++) {
                ShardLayout s = shards.get(i);
                ShardLayout before = i == 0 ? null : shards.get(i - 1);
                require(s.index() == i, s, "has index " + s.index() + " at position " + i);
                boolean sameSubgroup = before != null && before.subgroup() == s.subgroup();
                require(sameSubgroup || s.subgroup() == (before == null ? 0 : before.subgroup() + 1), s,
                        "subgroups must be numbered 0, 1, ... with their shards consecutive");
                require(s.shard() == (sameSubgroup ? before.shard() + 1 : 0), s,
                        "shards must be numbered 0, 1, ... within their subgroup");
                require(s.subgroupName() != null, s, "has no subgroup name");
                require(sameSubgroup ? s.subgroupName().equals(before.subgroupName()) : names.add(s.subgroupName()),
                        s, "subgroup names must be the same within and distinct across subgroups");
                require(s.mode() != null && s.profile() != null, s, "needs a mode and a profile");
                require(s.members().length > 0, s, "has no members");
                require(Arrays.stream(s.members()).distinct().count() == s.members().length, s, "lists a member twice");
                int last = -1;
                for (int sender : s.senders()) {
                    int rank = indexOf(s.members(), sender);
                    require(rank > last, s, "senders must be distinct members in shard rank order");
                    last = rank;
                }
            }
        }

        private static void require(boolean ok, ShardLayout s, String what) {
            if (!ok) {
                throw new IllegalArgumentException("invalid allocation: shard " + s.index() + " (" + s + ") " + what);
            }
        }

        @Override
        public boolean isAdequate() {
            return true;
        }

        @Override
        public Adequate lastAdequate() {
            return this;
        }

        /** The shards {@code nodeId} is a member of, in index order. */
        public List<ShardLayout> shardsOf(int nodeId) {
            return shards.stream().filter(s -> s.hasMember(nodeId)).toList();
        }

        /** Shard {@code shard} of subgroup {@code subgroup}. */
        public ShardLayout shard(int subgroup, int shard) {
            for (ShardLayout s : shards) {
                if (s.subgroup() == subgroup && s.shard() == shard) {
                    return s;
                }
            }
            throw new IllegalArgumentException("no shard " + shard + " in subgroup " + subgroup);
        }

        /** Shard {@code shard} of the subgroup called {@code subgroupName}, if there is one. */
        public Optional<ShardLayout> shard(String subgroupName, int shard) {
            return shards.stream().filter(s -> s.subgroupName().equals(subgroupName) && s.shard() == shard)
                    .findFirst();
        }

        /** The shards of subgroup {@code subgroup}, in shard order. */
        public List<ShardLayout> shardsOfSubgroup(int subgroup) {
            return shards.stream().filter(s -> s.subgroup() == subgroup).toList();
        }

        /** Number of subgroups. */
        public int subgroupCount() {
            return shards.isEmpty() ? 0 : shards.getLast().subgroup() + 1;
        }

        /** Every node that is a member of some shard, ascending. */
        public Set<Integer> assignedNodes() {
            Set<Integer> out = new TreeSet<>();
            for (ShardLayout s : shards) {
                for (int m : s.members()) {
                    out.add(m);
                }
            }
            return out;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Adequate other) || other.shards.size() != shards.size()) {
                return false;
            }
            for (int i = 0; i < shards.size(); i++) {
                ShardLayout a = shards.get(i);
                ShardLayout b = other.shards.get(i);
                if (a.index() != b.index() || a.subgroup() != b.subgroup() || a.shard() != b.shard()
                        || !a.subgroupName().equals(b.subgroupName()) || !Arrays.equals(a.members(), b.members())
                        || !Arrays.equals(a.senders(), b.senders()) || a.mode() != b.mode()
                        || !a.profile().equals(b.profile())) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int h = 1;
            for (ShardLayout s : shards) {
                h = 31 * h + Objects.hash(s.index(), s.subgroup(), s.subgroupName(), s.shard(), s.mode(), s.profile());
                h = 31 * h + Arrays.hashCode(s.members());
                h = 31 * h + Arrays.hashCode(s.senders());
            }
            return h;
        }

        @Override
        public String toString() {
            return "Adequate" + shards;
        }

        private static int indexOf(int[] a, int v) {
            for (int i = 0; i < a.length; i++) {
                if (a[i] == v) {
                    return i;
                }
            }
            return -1;
        }
    }

    /**
     * The view cannot satisfy the layout (some shard below its minimum). The group stays wedged,
     * waiting for joins, and reports {@code reason}.
     *
     * @param reason       names the subgroup and shard, how many members it has and how many it
     *                     needs, and the view
     * @param lastAdequate the last adequate allocation, kept so the next view can stick to it
     *                     (null if none)
     */
    record Inadequate(String reason, Adequate lastAdequate) implements Allocation {
        public Inadequate {
            Objects.requireNonNull(reason, "reason");
        }

        public Inadequate(String reason) {
            this(reason, null);
        }

        @Override
        public boolean isAdequate() {
            return false;
        }
    }
}
