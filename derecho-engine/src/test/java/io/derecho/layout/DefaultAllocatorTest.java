package io.derecho.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.derecho.config.Mode;
import io.derecho.config.Profile;
import io.derecho.multicast.ShardLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultAllocatorTest {

    private static final LayoutSpec KV = LayoutSpec.builder().subgroup("kv", s -> s.shards(2).members(2, 3)).build();

    private static Allocation.Adequate adequate(Allocation a) {
        assertThat(a).isInstanceOf(Allocation.Adequate.class);
        return (Allocation.Adequate) a;
    }

    private static List<List<Integer>> members(Allocation a) {
        List<List<Integer>> out = new ArrayList<>();
        for (ShardLayout s : adequate(a).shards()) {
            out.add(LayoutInvariants.boxed(s.members()));
        }
        return out;
    }

    @Test
    void firstViewFillsMinimumsInRankOrderThenGrowsShardsInTurn() {
        Allocation a = KV.allocator().allocate(List.of(1, 2, 3, 4, 5, 6, 7), null);
        assertThat(members(a)).containsExactly(List.of(1, 2, 5), List.of(3, 4, 6));
        ShardLayout s1 = adequate(a).shard(0, 1);
        assertThat(s1.index()).isEqualTo(1);
        assertThat(s1.subgroupName()).isEqualTo("kv");
        assertThat(s1.senders()).containsExactly(3, 4, 6);
        assertThat(s1.mode()).isEqualTo(Mode.ORDERED);
        assertThat(s1.profile()).isEqualTo(Profile.defaults());
    }

    @Test
    void survivorsStayInTheirShardAndNewcomersFillTheGaps() {
        LayoutAllocator alloc = KV.allocator();
        Allocation first = alloc.allocate(List.of(1, 2, 3, 4, 5, 6, 7), null);
        Allocation second = alloc.allocate(List.of(1, 3, 4, 5, 6, 7, 8), first);
        assertThat(members(second)).containsExactly(List.of(1, 5, 7), List.of(3, 4, 6));
    }

    @Test
    void membersAreSurvivorsInPreviousOrderThenNewcomersInViewRankOrder() {
        LayoutAllocator alloc = LayoutSpec.builder().subgroup("db", s -> s.members(1, 5)).build().allocator();
        Allocation first = alloc.allocate(List.of(4, 2, 9), null);
        assertThat(members(first)).containsExactly(List.of(4, 2, 9));
        Allocation second = alloc.allocate(List.of(7, 2, 9, 4, 1), first);
        assertThat(members(second)).containsExactly(List.of(4, 2, 9, 7, 1));
    }

    @Test
    void aViewTooSmallIsInadequateAndNamesTheShortShard() {
        LayoutSpec spec = LayoutSpec.builder().subgroup("kv", s -> s.shards(2).members(3, 4)).build();
        Allocation a = spec.allocator().allocate(List.of(1, 2, 3, 4, 5), null);
        assertThat(a.isAdequate()).isFalse();
        assertThat(((Allocation.Inadequate) a).reason()).isEqualTo(
                "subgroup kv shard 1 needs at least 3 members, only 2 available (view has 5 nodes: [1, 2, 3, 4, 5])");
        assertThat(a.lastAdequate()).isNull();
    }

    @Test
    void everyShortShardIsNamed() {
        LayoutSpec spec = LayoutSpec.builder()
                .subgroup("kv", s -> s.shards(2).members(3, 3))
                .subgroup("log", s -> s.members(4, 4)).build();
        Allocation a = spec.allocator().allocate(List.of(1, 2, 3), null);
        assertThat(((Allocation.Inadequate) a).reason()).isEqualTo("subgroup kv shard 1 needs at least 3 members,"
                + " only 0 available; subgroup log shard 0 needs at least 4 members, only 3 available"
                + " (view has 3 nodes: [1, 2, 3])");
    }

    @Test
    void anInadequateViewKeepsTheLastAdequateAllocationSoLaterViewsStillStick() {
        LayoutAllocator alloc = KV.allocator();
        Allocation first = alloc.allocate(List.of(1, 2, 3, 4, 5, 6), null);
        assertThat(members(first)).containsExactly(List.of(1, 2, 5), List.of(3, 4, 6));
        Allocation wedged = alloc.allocate(List.of(1, 2, 5), first);
        assertThat(wedged).isInstanceOf(Allocation.Inadequate.class);
        assertThat(wedged.lastAdequate()).isSameAs(first);
        Allocation wedgedAgain = alloc.allocate(List.of(1, 2), wedged);
        assertThat(wedgedAgain.lastAdequate()).isSameAs(first);
        Allocation recovered = alloc.allocate(List.of(1, 2, 5, 8, 9), wedgedAgain);
        assertThat(members(recovered)).containsExactly(List.of(1, 2, 5), List.of(8, 9));
    }

    @Test
    void aShortShardTakesTheNewestSurvivorOfAFullerShardRatherThanWaitForJoins() {
        LayoutAllocator alloc = KV.allocator();
        Allocation first = alloc.allocate(List.of(1, 2, 3, 4, 5, 6), null);
        Allocation next = alloc.allocate(List.of(1, 2, 5, 7), first);
        assertThat(members(next)).containsExactly(List.of(1, 2), List.of(5, 7));
    }

    @Test
    void reservedNodesGoToTheirShardAndOverlapSubgroupsButAreNoFillerElsewhere() {
        LayoutSpec spec = LayoutSpec.builder()
                .subgroup("a", s -> s.shards(2).members(1, 2).reserve(1, 9))
                .subgroup("b", s -> s.members(1, 3).reserve(0, 9))
                .subgroup("c", s -> s.members(1, 10))
                .build();
        Allocation.Adequate a = adequate(spec.allocator().allocate(List.of(9, 1, 2, 3), null));
        assertThat(members(a)).containsExactly(List.of(1, 2), List.of(9, 3), List.of(9, 1, 2), List.of(1, 2, 3));
        assertThat(a.shardsOf(9)).extracting(ShardLayout::subgroupName).containsExactly("a", "b");
        assertThat(a.shard("b", 0)).get().extracting(ShardLayout::index).isEqualTo(2);
        assertThat(a.shard("b", 1)).isEmpty();
        assertThat(a.assignedNodes()).containsExactly(1, 2, 3, 9);
        assertThat(a.subgroupCount()).isEqualTo(3);
    }

    @Test
    void aFullShardKeepsReservedNodesAndEarlierSurvivors() {
        LayoutAllocator alloc = LayoutSpec.builder().subgroup("db", s -> s.members(1, 3).reserve(0, 9)).build()
                .allocator();
        Allocation first = alloc.allocate(List.of(1, 2, 3), null);
        Allocation next = alloc.allocate(List.of(1, 2, 3, 9), first);
        assertThat(members(next)).containsExactly(List.of(1, 2, 9));
    }

    @Test
    void aDisjointLayoutPutsEachNodeInOneSubgroupAndGrowsTheSmallestShardFirst() {
        LayoutSpec spec = LayoutSpec.builder().disjoint(true)
                .subgroup("a", s -> s.members(2, 3))
                .subgroup("b", s -> s.shards(2).members(1, 2))
                .build();
        LayoutAllocator alloc = spec.allocator();
        Allocation six = alloc.allocate(List.of(1, 2, 3, 4, 5, 6), null);
        assertThat(members(six)).containsExactly(List.of(1, 2), List.of(3, 5), List.of(4, 6));
        Allocation seven = alloc.allocate(List.of(1, 2, 3, 4, 5, 6, 7, 8), six);
        assertThat(members(seven)).containsExactly(List.of(1, 2, 7), List.of(3, 5), List.of(4, 6));
        Allocation overlapping = LayoutSpec.builder()
                .subgroup("a", s -> s.members(2, 3))
                .subgroup("b", s -> s.shards(2).members(1, 2))
                .build().allocator().allocate(List.of(1, 2, 3), null);
        assertThat(members(overlapping)).containsExactly(List.of(1, 2, 3), List.of(1, 3), List.of(2));
    }

    @Test
    void sendersFollowTheRuleInShardOrder() {
        LayoutSpec spec = LayoutSpec.builder()
                .subgroup("all", s -> s.members(1, 4))
                .subgroup("first", s -> s.members(1, 4).senders(SendersRule.firstN(2)))
                .subgroup("listed", s -> s.members(1, 4).senders(SendersRule.nodes(4, 2, 8)))
                .subgroup("absent", s -> s.members(1, 4).senders(SendersRule.nodes(8)))
                .build();
        Allocation.Adequate a = adequate(spec.allocator().allocate(List.of(2, 3, 4, 5), null));
        assertThat(a.shard(0, 0).senders()).containsExactly(2, 3, 4, 5);
        assertThat(a.shard(1, 0).senders()).containsExactly(2, 3);
        assertThat(a.shard(2, 0).senders()).containsExactly(2, 4);
        assertThat(a.shard(3, 0).senders()).isEmpty();
        assertThat(a.shard(1, 0).senderRank(3)).isEqualTo(1);
    }

    @Test
    void modeAndProfileComeFromTheSubgroup() {
        LayoutSpec spec = LayoutSpec.builder().profile(Profile.defaults().withName("fast"))
                .subgroup("raw", s -> s.mode(Mode.UNORDERED).profile("fast")).build();
        ShardLayout s = adequate(spec.allocator().allocate(List.of(1), null)).shard(0, 0);
        assertThat(s.mode()).isEqualTo(Mode.UNORDERED);
        assertThat(s.profile().name()).isEqualTo("fast");
    }

    @Test
    void equalInputsGiveEqualAllocations() {
        Allocation a = new DefaultAllocator(KV).allocate(List.of(5, 3, 8, 1, 9), null);
        Allocation b = new DefaultAllocator(KV).allocate(new ArrayList<>(List.of(5, 3, 8, 1, 9)), null);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotSameAs(b);
        assertThat(new DefaultAllocator(KV).allocate(List.of(3, 5, 8, 1, 9), null)).isNotEqualTo(a);
    }

    @Test
    void aViewThatListsANodeTwiceIsRefused() {
        assertThatThrownBy(() -> KV.allocator().allocate(List.of(1, 2, 1), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("view [1, 2, 1] lists node 1 twice");
    }

    @Test
    void aCustomAllocationFunctionPlugsInAsALambda() {
        LayoutAllocator parity = (members, previous) -> {
            int[] even = members.stream().filter(id -> id % 2 == 0).mapToInt(Integer::intValue).toArray();
            int[] odd = members.stream().filter(id -> id % 2 != 0).mapToInt(Integer::intValue).toArray();
            if (even.length == 0 || odd.length == 0) {
                return new Allocation.Inadequate("parity needs an even and an odd node, view " + members,
                        previous == null ? null : previous.lastAdequate());
            }
            return new Allocation.Adequate(List.of(
                    new ShardLayout(0, 0, "parity", 0, even, even, Mode.ORDERED, Profile.defaults()),
                    new ShardLayout(1, 0, "parity", 1, odd, new int[] {odd[0]}, Mode.UNORDERED, Profile.defaults())));
        };
        LayoutAllocator checked = LayoutAllocator.checked(parity);
        Allocation a = checked.allocate(List.of(1, 2, 3, 4), null);
        assertThat(members(a)).containsExactly(List.of(2, 4), List.of(1, 3));
        assertThat(adequate(a).shard(0, 1).senders()).containsExactly(1);
        Allocation b = checked.allocate(List.of(2, 4), a);
        assertThat(((Allocation.Inadequate) b).reason()).isEqualTo("parity needs an even and an odd node, view [2, 4]");
        assertThat(b.lastAdequate()).isSameAs(a);
    }

    @Test
    void aCheckedAllocatorRefusesNodesOutsideTheView() {
        LayoutAllocator wrong = (members, previous) -> new Allocation.Adequate(List.of(
                new ShardLayout(0, 0, "x", 0, new int[] {1, 7}, new int[] {1}, Mode.ORDERED, Profile.defaults())));
        assertThatThrownBy(() -> LayoutAllocator.checked(wrong).allocate(List.of(1, 2), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("layout allocator placed node 7 in x/0 members=[1, 7] senders=[1] ORDERED profile=default"
                        + " but it is not in the view [1, 2]");
    }

    @Test
    void anAdequateAllocationRefusesAMalformedShape() {
        Profile p = Profile.defaults();
        assertThatThrownBy(() -> new Allocation.Adequate(List.of(
                new ShardLayout(1, 0, "x", 0, new int[] {1}, new int[] {1}, Mode.ORDERED, p))))
                .hasMessage("invalid allocation: shard 1 (x/0 members=[1] senders=[1] ORDERED profile=default)"
                        + " has index 1 at position 0");
        assertThatThrownBy(() -> new Allocation.Adequate(List.of(
                new ShardLayout(0, 0, "x", 0, new int[] {1, 2}, new int[] {2, 1}, Mode.ORDERED, p))))
                .hasMessageEndingWith("senders must be distinct members in shard rank order");
        assertThatThrownBy(() -> new Allocation.Adequate(List.of(
                new ShardLayout(0, 0, "x", 0, new int[] {1, 1}, new int[] {1}, Mode.ORDERED, p))))
                .hasMessageEndingWith("lists a member twice");
        assertThatThrownBy(() -> new Allocation.Adequate(List.of(
                new ShardLayout(0, 0, "x", 0, new int[] {1}, new int[] {1}, Mode.ORDERED, p),
                new ShardLayout(1, 1, "x", 0, new int[] {1}, new int[] {1}, Mode.ORDERED, p))))
                .hasMessageEndingWith("subgroup names must be the same within and distinct across subgroups");
        assertThatThrownBy(() -> new Allocation.Adequate(List.of(
                new ShardLayout(0, 0, "x", 1, new int[] {1}, new int[] {1}, Mode.ORDERED, p))))
                .hasMessageEndingWith("shards must be numbered 0, 1, ... within their subgroup");
    }

    @Test
    void anAdequateAllocationCopiesTheArraysItIsGiven() {
        int[] members = {1, 2};
        Allocation.Adequate a = new Allocation.Adequate(List.of(
                new ShardLayout(0, 0, "x", 0, members, members, Mode.ORDERED, Profile.defaults())));
        members[0] = 9;
        assertThat(a.shard(0, 0).members()).containsExactly(1, 2);
    }
}
