package io.derecho.layout;

import io.derecho.multicast.ShardLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The properties every allocation of the default allocator must have, each a function from one
 * allocation step to its violations (empty when it holds). Written from the rules in the package
 * documentation, not from the allocator's code, so they can catch a wrong implementation.
 */
final class LayoutInvariants {
    private LayoutInvariants() {
    }

    /** One allocation: its inputs, its result and the result of a second, independent allocator. */
    record Step(LayoutSpec spec, List<Integer> view, Allocation previous, Allocation result, Allocation again) {
        Allocation.Adequate prev() {
            return previous == null ? null : previous.lastAdequate();
        }

        Set<Integer> reservedAnywhere() {
            return spec.reservations().keySet();
        }

        boolean reservedHere(SubgroupLayoutSpec sg, int shard, int id) {
            return sg.reserved(shard).contains(id);
        }

        /** Groups of shards that draw on one pool: each subgroup, or all shards when disjoint. */
        List<List<ShardLayout>> scopes(Allocation.Adequate a) {
            if (spec.disjoint()) {
                return List.of(a.shards());
            }
            List<List<ShardLayout>> out = new ArrayList<>();
            for (int g = 0; g < spec.subgroups().size(); g++) {
                out.add(a.shardsOfSubgroup(g));
            }
            return out;
        }

        /** View members that no shard reserves: the pool every shard may draw on. */
        List<Integer> free() {
            return view.stream().filter(id -> !reservedAnywhere().contains(id)).toList();
        }

        SubgroupLayoutSpec specOf(ShardLayout s) {
            return spec.subgroups().get(s.subgroup());
        }
    }

    @FunctionalInterface
    interface Property {
        List<String> violations(Step step);
    }

    /** Same inputs, same allocation, whichever allocator instance computes it. */
    static List<String> determinism(Step s) {
        boolean same = s.result() instanceof Allocation.Adequate
                ? s.result().equals(s.again())
                : s.again() instanceof Allocation.Inadequate i
                        && i.reason().equals(((Allocation.Inadequate) s.result()).reason());
        return same ? List.of() : List.of("a second allocator computed " + s.again());
    }

    /** Adequate exactly when every minimum can be met, and inadequate with a clear reason. */
    static List<String> inadequacy(Step s) {
        List<String> out = new ArrayList<>();
        Set<Integer> inView = new HashSet<>(s.view());
        Map<Integer, Integer> needByScope = new HashMap<>();
        for (int g = 0; g < s.spec().subgroups().size(); g++) {
            SubgroupLayoutSpec sg = s.spec().subgroups().get(g);
            for (int k = 0; k < sg.shards(); k++) {
                long present = sg.reserved(k).stream().filter(inView::contains).count();
                needByScope.merge(s.spec().disjoint() ? 0 : g, (int) Math.max(0, sg.minMembersPerShard() - present),
                        Integer::sum);
            }
        }
        int free = s.free().size();
        boolean possible = needByScope.values().stream().allMatch(n -> n <= free);
        if (possible != s.result().isAdequate()) {
            out.add((possible ? "an adequate allocation exists but got " : "no adequate allocation exists but got ")
                    + s.result());
        }
        if (s.result() instanceof Allocation.Inadequate i) {
            if (!i.reason().matches("(subgroup \\S+ shard \\d+ needs at least \\d+ members, only \\d+ available; )*"
                    + "subgroup \\S+ shard \\d+ needs at least \\d+ members, only \\d+ available \\(view has \\d+ nodes: .*\\)")
                    || !i.reason().endsWith("(view has " + s.view().size() + " nodes: " + s.view() + ")")) {
                out.add("unclear reason: " + i.reason());
            }
            if (!Objects.equals(i.lastAdequate(), s.prev())) {
                out.add("inadequate allocation lost the last adequate one: " + i.lastAdequate());
            }
        }
        return out;
    }

    /** Shape as specified; every shard within its min and max; no node twice in a subgroup; disjoint kept. */
    static List<String> bounds(Step s) {
        List<String> out = new ArrayList<>();
        if (!(s.result() instanceof Allocation.Adequate a)) {
            return out;
        }
        int expectedShards = s.spec().subgroups().stream().mapToInt(SubgroupLayoutSpec::shards).sum();
        if (a.shards().size() != expectedShards) {
            out.add("has " + a.shards().size() + " shards, the layout " + expectedShards);
            return out;
        }
        Set<Integer> inView = new HashSet<>(s.view());
        Map<Integer, Integer> subgroupOf = new HashMap<>();
        for (ShardLayout sh : a.shards()) {
            SubgroupLayoutSpec sg = s.specOf(sh);
            if (!sh.subgroupName().equals(sg.name()) || sh.mode() != sg.mode()
                    || !sh.profile().equals(s.spec().profile(sg.profile()))) {
                out.add(sh + " does not match its subgroup's name, mode or profile");
            }
            int n = sh.members().length;
            if (n < sg.minMembersPerShard() || n > sg.maxMembersPerShard()) {
                out.add(sh + " has " + n + " members, outside [" + sg.minMembersPerShard() + ", "
                        + sg.maxMembersPerShard() + "]");
            }
            for (int m : sh.members()) {
                if (!inView.contains(m)) {
                    out.add(sh + " has node " + m + " which is not in the view");
                }
                Integer before = subgroupOf.put(m, sh.subgroup());
                if (before != null && before == sh.subgroup()) {
                    out.add("node " + m + " is in two shards of subgroup " + sg.name());
                } else if (before != null && s.spec().disjoint()) {
                    out.add("node " + m + " is in two subgroups of a disjoint layout");
                }
            }
        }
        return out;
    }

    /** Reserved nodes in the view are in their shard, and in no shard that does not reserve them. */
    static List<String> reserved(Step s) {
        List<String> out = new ArrayList<>();
        if (!(s.result() instanceof Allocation.Adequate a)) {
            return out;
        }
        Set<Integer> inView = new HashSet<>(s.view());
        for (ShardLayout sh : a.shards()) {
            SubgroupLayoutSpec sg = s.specOf(sh);
            for (int id : sg.reserved(sh.shard())) {
                if (inView.contains(id) && !sh.hasMember(id)) {
                    out.add("reserved node " + id + " is in the view but not in " + sh);
                }
            }
            for (int m : sh.members()) {
                if (s.reservedAnywhere().contains(m) && !s.reservedHere(sg, sh.shard(), m)) {
                    out.add("node " + m + " is reserved elsewhere but placed in " + sh);
                }
            }
        }
        return out;
    }

    /**
     * A survivor stays in its shard unless the shard is full of reserved nodes and earlier
     * survivors, or it filled another shard to exactly its minimum when no unassigned node was left.
     */
    static List<String> stickiness(Step s) {
        List<String> out = new ArrayList<>();
        Allocation.Adequate prev = s.prev();
        if (prev == null || !(s.result() instanceof Allocation.Adequate a)) {
            return out;
        }
        Set<Integer> inView = new HashSet<>(s.view());
        for (int g = 0; g < s.spec().subgroups().size(); g++) {
            SubgroupLayoutSpec sg = s.spec().subgroups().get(g);
            for (int k = 0; k < sg.shards(); k++) {
                ShardLayout before = prev.shard(sg.name(), k).orElse(null);
                if (before == null) {
                    continue;
                }
                ShardLayout now = a.shard(g, k);
                List<Integer> prevOrder = boxed(before.members());
                for (int x : before.members()) {
                    boolean eligible = s.reservedHere(sg, k, x) || !s.reservedAnywhere().contains(x);
                    if (!inView.contains(x) || !eligible || now.hasMember(x)) {
                        continue;
                    }
                    if (!fullOfEarlierSurvivors(s, sg, now, prevOrder, x) && !neededElsewhere(s, a, g, x)) {
                        out.add("survivor " + x + " left " + now + " (was " + before + ") without need");
                    }
                }
            }
        }
        return out;
    }

    private static boolean fullOfEarlierSurvivors(Step s, SubgroupLayoutSpec sg, ShardLayout now,
                                                  List<Integer> prevOrder, int x) {
        if (now.members().length < sg.maxMembersPerShard()) {
            return false;
        }
        for (int m : now.members()) {
            boolean earlierSurvivor = prevOrder.contains(m) && prevOrder.indexOf(m) < prevOrder.indexOf(x);
            if (!s.reservedHere(sg, now.shard(), m) && !earlierSurvivor) {
                return false;
            }
        }
        return true;
    }

    private static boolean neededElsewhere(Step s, Allocation.Adequate a, int subgroup, int x) {
        List<ShardLayout> scope = s.spec().disjoint() ? a.shards() : a.shardsOfSubgroup(subgroup);
        for (ShardLayout y : scope) {
            if (y.hasMember(x) && y.members().length == s.specOf(y).minMembersPerShard()
                    && unassigned(s, scope).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Unreserved view members in no shard of {@code scope}. */
    private static List<Integer> unassigned(Step s, List<ShardLayout> scope) {
        return s.free().stream().filter(id -> scope.stream().noneMatch(sh -> sh.hasMember(id))).toList();
    }

    /** No unreserved node is left out while a shard that could take it is below its maximum. */
    static List<String> growth(Step s) {
        List<String> out = new ArrayList<>();
        if (!(s.result() instanceof Allocation.Adequate a)) {
            return out;
        }
        for (List<ShardLayout> scope : s.scopes(a)) {
            List<Integer> left = unassigned(s, scope);
            for (ShardLayout sh : scope) {
                if (!left.isEmpty() && sh.members().length < s.specOf(sh).maxMembersPerShard()) {
                    out.add("nodes " + left + " left out while " + sh + " is below its maximum");
                }
            }
        }
        return out;
    }

    /** Survivors first in previous order, then newcomers in view rank order; senders by the rule. */
    static List<String> order(Step s) {
        List<String> out = new ArrayList<>();
        if (!(s.result() instanceof Allocation.Adequate a)) {
            return out;
        }
        Allocation.Adequate prev = s.prev();
        for (ShardLayout sh : a.shards()) {
            List<Integer> members = boxed(sh.members());
            List<Integer> before = prev == null ? List.of()
                    : prev.shard(sh.subgroupName(), sh.shard()).map(l -> boxed(l.members())).orElse(List.of());
            List<Integer> expected = new ArrayList<>(before.stream().filter(members::contains).toList());
            members.stream().filter(m -> !before.contains(m)).sorted(Comparator.comparingInt(s.view()::indexOf))
                    .forEach(expected::add);
            if (!members.equals(expected)) {
                out.add(sh + " members should be ordered " + expected);
            }
            int[] senders = s.specOf(sh).senders().select(sh.members());
            if (!Arrays.equals(senders, sh.senders())) {
                out.add(sh + " senders should be " + Arrays.toString(senders));
            }
        }
        return out;
    }

    static List<Integer> boxed(int[] ids) {
        return Arrays.stream(ids).boxed().toList();
    }
}
