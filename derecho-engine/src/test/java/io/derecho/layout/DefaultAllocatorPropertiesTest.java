package io.derecho.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.derecho.multicast.ShardLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Property tests over seeded random layouts and view sequences (see {@link LayoutScenarios}).
 * Each property is also run against a deliberately broken allocator, which it must catch: a
 * property that cannot fail proves nothing. A failure prints its seed; replay it with
 * {@code -Dtest=DefaultAllocatorPropertiesTest#<test> -Dlayout.seed=<seed>}.
 */
class DefaultAllocatorPropertiesTest {

    private static final Function<LayoutSpec, LayoutAllocator> DEFAULT = DefaultAllocator::new;

    private static void holds(LayoutInvariants.Property property) {
        Optional<String> violation = LayoutScenarios.firstViolation(property, DEFAULT);
        if (violation.isPresent()) {
            fail(violation.get());
        }
    }

    private static void catches(LayoutInvariants.Property property, Function<LayoutSpec, LayoutAllocator> broken) {
        if (LayoutScenarios.REPLAY) {
            return;
        }
        assertThat(LayoutScenarios.firstViolation(property, broken))
                .as("the property should catch the broken allocator")
                .hasValueSatisfying(v -> assertThat(v).as("caught by the property, not by a crash")
                        .doesNotContain("Exception"));
    }

    @Test
    void sameInputsGiveTheSameAllocationOnEveryNode() {
        holds(LayoutInvariants::determinism);
        AtomicInteger made = new AtomicInteger();
        catches(LayoutInvariants::determinism, spec -> {
            boolean second = made.getAndIncrement() % 2 == 1;
            LayoutAllocator d = new DefaultAllocator(spec);
            return (view, previous) -> d.allocate(second ? view.reversed() : view, previous);
        });
    }

    @Test
    void survivorsKeepTheirShardUnlessFullOrNeededForAMinimum() {
        holds(LayoutInvariants::stickiness);
        catches(LayoutInvariants::stickiness, spec -> {
            LayoutAllocator d = new DefaultAllocator(spec);
            return (view, previous) -> d.allocate(view, null);
        });
    }

    @Test
    void everyAdequateAllocationMeetsMinAndMaxWithNoNodeTwiceInASubgroup() {
        holds(LayoutInvariants::bounds);
        catches(LayoutInvariants::bounds, spec -> new DefaultAllocator(
                mapSubgroups(spec, sg -> resize(sg, 1, sg.maxMembersPerShard()))));
        catches(LayoutInvariants::bounds, spec -> new DefaultAllocator(
                mapSubgroups(spec, sg -> resize(sg, sg.minMembersPerShard(), SubgroupLayoutSpec.UNBOUNDED))));
        catches(LayoutInvariants::bounds, spec -> new DefaultAllocator(
                new LayoutSpec(spec.profiles(), spec.subgroups(), false)));
        catches(LayoutInvariants::bounds, spec -> {
            LayoutAllocator d = new DefaultAllocator(spec);
            return (view, previous) -> mapShards(d.allocate(view, previous), (all, s) -> {
                ShardLayout first = all.get(s.index() - s.shard());
                if (s.shard() != 1 || s.hasMember(first.members()[0])) {
                    return s;
                }
                int[] members = Arrays.copyOf(s.members(), s.members().length + 1);
                members[members.length - 1] = first.members()[0];
                return new ShardLayout(s.index(), s.subgroup(), s.subgroupName(), s.shard(), members, s.senders(),
                        s.mode(), s.profile());
            });
        });
    }

    @Test
    void reservedNodesInTheViewAreInTheirShardAndNowhereElse() {
        holds(LayoutInvariants::reserved);
        catches(LayoutInvariants::reserved, spec -> new DefaultAllocator(mapSubgroups(spec,
                sg -> new SubgroupLayoutSpec(sg.name(), sg.shards(), sg.minMembersPerShard(),
                        sg.maxMembersPerShard(), List.of(), sg.senders(), sg.mode(), sg.profile()))));
    }

    @Test
    void inadequateExactlyWhenSomeMinimumCannotBeMetWithAClearReason() {
        holds(LayoutInvariants::inadequacy);
        catches(LayoutInvariants::inadequacy, spec -> new DefaultAllocator(
                mapSubgroups(spec, sg -> resize(sg, 1, sg.maxMembersPerShard()))));
        catches(LayoutInvariants::inadequacy, spec -> {
            LayoutAllocator d = new DefaultAllocator(spec);
            int allMinimums = spec.subgroups().stream()
                    .mapToInt(sg -> sg.shards() * sg.minMembersPerShard()).sum();
            return (view, previous) -> view.size() < allMinimums
                    ? new Allocation.Inadequate("subgroup sg0 shard 0 needs at least 1 members, only 0 available"
                            + " (view has " + view.size() + " nodes: " + view + ")",
                            previous == null ? null : previous.lastAdequate())
                    : d.allocate(view, previous);
        });
    }

    @Test
    void shardsGrowWithTheViewUpToTheirMaximum() {
        holds(LayoutInvariants::growth);
        catches(LayoutInvariants::growth, spec -> new DefaultAllocator(mapSubgroups(spec, sg -> resize(sg,
                sg.minMembersPerShard(), Math.max(sg.minMembersPerShard(),
                        sg.reservedNodeIds().stream().mapToInt(List::size).max().orElse(0))))));
    }

    @Test
    void membersAreSurvivorsThenNewcomersAndSendersFollowTheRule() {
        holds(LayoutInvariants::order);
        catches(LayoutInvariants::order, spec -> {
            LayoutAllocator d = new DefaultAllocator(spec);
            return (view, previous) -> mapShards(d.allocate(view, previous), (all, s) -> {
                int[] members = s.members().clone();
                Arrays.sort(members);
                return new ShardLayout(s.index(), s.subgroup(), s.subgroupName(), s.shard(), members,
                        spec.subgroups().get(s.subgroup()).senders().select(members), s.mode(), s.profile());
            });
        });
    }

    @Test
    void scenariosReachEveryInterestingCase() {
        assumeFalse(LayoutScenarios.REPLAY, "needs every case, not one replayed seed");
        int[] adequate = {0};
        int[] inadequate = {0};
        int[] moved = {0};
        int[] full = {0};
        int[] reservedPresent = {0};
        int[] disjoint = {0};
        LayoutScenarios.firstViolation(step -> List.of(), DEFAULT, s -> {
            if (s.result() instanceof Allocation.Adequate a) {
                adequate[0]++;
                if (s.spec().disjoint()) {
                    disjoint[0]++;
                }
                if (a.shards().stream().anyMatch(sh -> sh.members().length
                        == s.specOf(sh).maxMembersPerShard())) {
                    full[0]++;
                }
                if (survivorMoved(s, a)) {
                    moved[0]++;
                }
                Set<Integer> view = new HashSet<>(s.view());
                if (s.reservedAnywhere().stream().anyMatch(view::contains)) {
                    reservedPresent[0]++;
                }
            } else {
                inadequate[0]++;
            }
        });
        assertThat(adequate[0]).as("adequate views").isGreaterThan(1000);
        assertThat(inadequate[0]).as("inadequate views").isGreaterThan(200);
        assertThat(moved[0]).as("views where a survivor had to move").isGreaterThan(10);
        assertThat(full[0]).as("views with a shard at its maximum").isGreaterThan(200);
        assertThat(reservedPresent[0]).as("views with reserved nodes present").isGreaterThan(200);
        assertThat(disjoint[0]).as("adequate views of disjoint layouts").isGreaterThan(200);
    }

    private static boolean survivorMoved(LayoutInvariants.Step s, Allocation.Adequate a) {
        Allocation.Adequate prev = s.prev();
        if (prev == null) {
            return false;
        }
        for (ShardLayout now : a.shards()) {
            ShardLayout before = prev.shard(now.subgroupName(), now.shard()).orElse(null);
            if (before == null) {
                continue;
            }
            for (int x : before.members()) {
                boolean survivor = s.view().contains(x);
                boolean elsewhere = a.shardsOfSubgroup(now.subgroup()).stream().anyMatch(o -> o != now && o.hasMember(x));
                if (survivor && !now.hasMember(x) && elsewhere) {
                    return true;
                }
            }
        }
        return false;
    }

    private static SubgroupLayoutSpec resize(SubgroupLayoutSpec sg, int min, int max) {
        return new SubgroupLayoutSpec(sg.name(), sg.shards(), min, max, sg.reservedNodeIds(), sg.senders(),
                sg.mode(), sg.profile());
    }

    private static LayoutSpec mapSubgroups(LayoutSpec spec, UnaryOperator<SubgroupLayoutSpec> f) {
        return new LayoutSpec(spec.profiles(), spec.subgroups().stream().map(f).toList(), spec.disjoint());
    }

    private interface ShardRewrite {
        ShardLayout apply(List<ShardLayout> all, ShardLayout shard);
    }

    private static Allocation mapShards(Allocation a, ShardRewrite f) {
        if (!(a instanceof Allocation.Adequate adequate)) {
            return a;
        }
        List<ShardLayout> out = new ArrayList<>();
        for (ShardLayout s : adequate.shards()) {
            out.add(f.apply(adequate.shards(), s));
        }
        return new Allocation.Adequate(out);
    }
}
