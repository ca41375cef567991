package io.derecho.layout;

import io.derecho.multicast.ShardLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The allocator a {@link LayoutSpec} describes. Deterministic: it reads only its arguments and
 * iterates only over lists, so every member computes the same layout for the same view.
 *
 * <p>Phases, each over the shards in index order (subgroup by subgroup, shard by shard):
 * <ol>
 *   <li><b>Reserved</b>: a reserved node in the view goes to the shard that reserves it. A node
 *       reserved anywhere in the layout serves only the shards that reserve it.</li>
 *   <li><b>Sticky</b>: a node that was in a shard in the previous allocation and is still in the
 *       view stays there, in its previous order, while the shard is below its maximum.</li>
 *   <li><b>Minimums</b>: shards below their minimum take unassigned nodes in view rank order.</li>
 *   <li><b>Rebalance</b>: a shard still below its minimum takes the newest movable member of the
 *       shard with the largest surplus above its minimum (same subgroup; any subgroup when
 *       disjoint). Stickiness gives way only here, and only when the view would otherwise be
 *       inadequate: waiting wedged for joins costs more than a state transfer.</li>
 *   <li><b>Growth</b>: the remaining unassigned nodes, in view rank order, each go to the
 *       smallest shard below its maximum (lowest index on ties), so shards grow evenly with the
 *       view.</li>
 * </ol>
 * A node is in at most one shard per subgroup. Without {@link LayoutSpec#disjoint()} each subgroup
 * draws from the whole view on its own; with it, a node is in at most one subgroup. If a shard is
 * still below its minimum the result is {@link Allocation.Inadequate}, naming every short shard.
 * Within a shard the members are the survivors in their previous order, then newcomers in view
 * rank order; senders follow the subgroup's {@link SendersRule} in that order.
 *
 * <p>Immutable and stateless between calls, so one instance may serve any number of threads, and a
 * node that just joined computes what the others compute from the same view and previous allocation.
 */
public final class DefaultAllocator implements LayoutAllocator {
    private final LayoutSpec spec;
    private final Set<Integer> reservedAnywhere;

    public DefaultAllocator(LayoutSpec spec) {
        this.spec = spec;
        this.reservedAnywhere = Set.copyOf(spec.reservations().keySet());
    }

    public LayoutSpec spec() {
        return spec;
    }

    @Override
    public Allocation allocate(List<Integer> members, Allocation previous) {
        Allocation.Adequate prev = previous == null ? null : previous.lastAdequate();
        Run run = new Run(checkedView(members), prev);
        run.placeReserved();
        run.keepSurvivors();
        run.fillMinimums();
        run.rebalanceShortShards();
        run.addRemaining();
        String shortfalls = run.shortfalls();
        if (!shortfalls.isEmpty()) {
            return new Allocation.Inadequate(shortfalls + " (view has " + members.size() + " nodes: " + members + ")",
                    prev);
        }
        return run.toAllocation();
    }

    private static List<Integer> checkedView(List<Integer> members) {
        Set<Integer> seen = new HashSet<>();
        for (Integer id : members) {
            if (id == null) {
                throw new IllegalArgumentException("view " + members + " contains null");
            }
            if (!seen.add(id)) {
                throw new IllegalArgumentException("view " + members + " lists node " + id + " twice");
            }
        }
        return List.copyOf(members);
    }

    /** One shard being filled. */
    private static final class Slot {
        final int index;
        final int subgroup;
        final int shard;
        final SubgroupLayoutSpec spec;
        final List<Integer> reserved;
        final List<Integer> previous;
        final List<Integer> nodes = new ArrayList<>();

        Slot(int index, int subgroup, int shard, SubgroupLayoutSpec spec, List<Integer> previous) {
            this.index = index;
            this.subgroup = subgroup;
            this.shard = shard;
            this.spec = spec;
            this.reserved = spec.reserved(shard);
            this.previous = previous;
        }

        int surplus() {
            return nodes.size() - spec.minMembersPerShard();
        }

        boolean belowMax() {
            return nodes.size() < spec.maxMembersPerShard();
        }
    }

    /** The working state of one allocation. */
    private final class Run {
        final List<Integer> view;
        final Map<Integer, Integer> rank = new HashMap<>();
        final List<Slot> slots = new ArrayList<>();
        final List<Set<Integer>> takenInSubgroup = new ArrayList<>();
        final Set<Integer> takenAnywhere = new HashSet<>();

        Run(List<Integer> view, Allocation.Adequate prev) {
            this.view = view;
            for (int i = 0; i < view.size(); i++) {
                rank.put(view.get(i), i);
            }
            for (int g = 0; g < spec.subgroups().size(); g++) {
                SubgroupLayoutSpec sg = spec.subgroups().get(g);
                takenInSubgroup.add(new HashSet<>());
                for (int s = 0; s < sg.shards(); s++) {
                    List<Integer> before = List.of();
                    if (prev != null) {
                        before = prev.shard(sg.name(), s).map(l -> boxed(l.members())).orElse(List.of());
                    }
                    slots.add(new Slot(slots.size(), g, s, sg, before));
                }
            }
        }

        boolean taken(Slot slot, int node) {
            return spec.disjoint() ? takenAnywhere.contains(node) : takenInSubgroup.get(slot.subgroup).contains(node);
        }

        boolean eligible(Slot slot, int node) {
            return slot.reserved.contains(node) || !reservedAnywhere.contains(node);
        }

        void assign(Slot slot, int node) {
            slot.nodes.add(node);
            takenInSubgroup.get(slot.subgroup).add(node);
            takenAnywhere.add(node);
        }

        void unassign(Slot slot, int node) {
            slot.nodes.remove(Integer.valueOf(node));
            takenInSubgroup.get(slot.subgroup).remove(node);
            takenAnywhere.remove(node);
        }

        void placeReserved() {
            for (Slot slot : slots) {
                for (int id : slot.reserved) {
                    if (rank.containsKey(id) && !taken(slot, id)) {
                        assign(slot, id);
                    }
                }
            }
        }

        void keepSurvivors() {
            for (Slot slot : slots) {
                for (int id : slot.previous) {
                    if (rank.containsKey(id) && eligible(slot, id) && !taken(slot, id) && slot.belowMax()) {
                        assign(slot, id);
                    }
                }
            }
        }

        void fillMinimums() {
            for (Slot slot : slots) {
                for (int i = 0; i < view.size() && slot.surplus() < 0; i++) {
                    int id = view.get(i);
                    if (eligible(slot, id) && !taken(slot, id)) {
                        assign(slot, id);
                    }
                }
            }
        }

        void rebalanceShortShards() {
            for (Slot slot : slots) {
                while (slot.surplus() < 0) {
                    Slot donor = null;
                    Integer movable = null;
                    for (Slot candidate : slots) {
                        if (candidate == slot || candidate.surplus() <= 0
                                || (!spec.disjoint() && candidate.subgroup != slot.subgroup)
                                || (donor != null && candidate.surplus() <= donor.surplus())) {
                            continue;
                        }
                        Integer m = newestMovable(candidate, slot);
                        if (m != null) {
                            donor = candidate;
                            movable = m;
                        }
                    }
                    if (donor == null) {
                        break;
                    }
                    unassign(donor, movable);
                    assign(slot, movable);
                }
            }
        }

        /** The last member of {@code donor} (in shard order) that {@code to} may take, or null. */
        Integer newestMovable(Slot donor, Slot to) {
            List<Integer> order = ordered(donor);
            for (int i = order.size() - 1; i >= 0; i--) {
                int id = order.get(i);
                if (!donor.reserved.contains(id) && eligible(to, id)) {
                    return id;
                }
            }
            return null;
        }

        void addRemaining() {
            if (spec.disjoint()) {
                spread(slots);
            } else {
                for (int g = 0; g < spec.subgroups().size(); g++) {
                    int subgroup = g;
                    spread(slots.stream().filter(s -> s.subgroup == subgroup).toList());
                }
            }
        }

        private void spread(List<Slot> targets) {
            Comparator<Slot> smallestFirst = Comparator.<Slot>comparingInt(s -> s.nodes.size())
                    .thenComparingInt(s -> s.index);
            for (int id : view) {
                if (reservedAnywhere.contains(id) || taken(targets.getFirst(), id)) {
                    continue;
                }
                Slot to = targets.stream().filter(Slot::belowMax).min(smallestFirst).orElse(null);
                if (to == null) {
                    return;
                }
                assign(to, id);
            }
        }

        String shortfalls() {
            List<String> out = new ArrayList<>();
            for (Slot slot : slots) {
                if (slot.surplus() < 0) {
                    out.add("subgroup " + slot.spec.name() + " shard " + slot.shard + " needs at least "
                            + slot.spec.minMembersPerShard() + " members, only " + slot.nodes.size() + " available");
                }
            }
            return String.join("; ", out);
        }

        /** Survivors in their previous order, then newcomers in view rank order. */
        List<Integer> ordered(Slot slot) {
            Set<Integer> in = new HashSet<>(slot.nodes);
            List<Integer> out = new ArrayList<>();
            for (int id : slot.previous) {
                if (in.remove(id)) {
                    out.add(id);
                }
            }
            slot.nodes.stream().filter(in::contains).sorted(Comparator.comparingInt(rank::get)).forEach(out::add);
            return out;
        }

        Allocation.Adequate toAllocation() {
            List<ShardLayout> shards = new ArrayList<>();
            for (Slot slot : slots) {
                int[] members = ordered(slot).stream().mapToInt(Integer::intValue).toArray();
                SubgroupLayoutSpec sg = slot.spec;
                shards.add(new ShardLayout(slot.index, slot.subgroup, sg.name(), slot.shard, members,
                        sg.senders().select(members), sg.mode(), spec.profile(sg.profile())));
            }
            return new Allocation.Adequate(shards);
        }
    }

    private static List<Integer> boxed(int[] ids) {
        List<Integer> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(id);
        }
        return out;
    }
}
