package io.derecho.layout;

import io.derecho.config.BlockScheduleKind;
import io.derecho.config.Mode;
import io.derecho.config.Profile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Seeded random layouts and view sequences (crashes, joins, rejoins, views too small for the
 * layout), run through an allocator step by step. A failure names its seed; run again with
 * {@code -Dlayout.seed=<seed>} to replay only that case, or {@code -Dlayout.cases=<n>} for more.
 */
final class LayoutScenarios {
    /** True when one seed is being replayed: the checks that need many cases stand aside. */
    static final boolean REPLAY = Long.getLong("layout.seed") != null;
    static final long BASE_SEED = Long.getLong("layout.seed", 0x1A705EEDL);
    static final int CASES = REPLAY ? 1 : Integer.getInteger("layout.cases", 400);
    static final int STEPS = 14;
    private static final int NODE_IDS = 16;

    private LayoutScenarios() {
    }

    /**
     * Runs the scenarios with allocators made by {@code allocators} and returns the first violation
     * of {@code property}, with its seed. Each step is computed twice: by the allocator that saw
     * every earlier view, and by a fresh one, as a node that just joined would.
     */
    static Optional<String> firstViolation(LayoutInvariants.Property property,
                                           Function<LayoutSpec, LayoutAllocator> allocators) {
        return firstViolation(property, allocators, step -> { });
    }

    static Optional<String> firstViolation(LayoutInvariants.Property property,
                                           Function<LayoutSpec, LayoutAllocator> allocators,
                                           Consumer<LayoutInvariants.Step> observer) {
        for (int c = 0; c < CASES; c++) {
            long seed = BASE_SEED + c;
            Random random = new Random(seed);
            LayoutSpec spec = randomSpec(random);
            LayoutAllocator first = allocators.apply(spec);
            List<Integer> view = firstView(random);
            Allocation previous = null;
            for (int step = 0; step < STEPS; step++) {
                LayoutInvariants.Step s;
                try {
                    Allocation result = first.allocate(view, previous);
                    Allocation again = allocators.apply(spec).allocate(new ArrayList<>(view), previous);
                    s = new LayoutInvariants.Step(spec, view, previous, result, again);
                } catch (RuntimeException e) {
                    return Optional.of(describe(seed, step, spec, view, previous, null, List.of(e.toString())));
                }
                List<String> violations = property.violations(s);
                if (!violations.isEmpty()) {
                    return Optional.of(describe(seed, step, spec, view, previous, s.result(), violations));
                }
                observer.accept(s);
                previous = s.result();
                view = nextView(random, view);
            }
        }
        return Optional.empty();
    }

    private static String describe(long seed, int step, LayoutSpec spec, List<Integer> view, Allocation previous,
                                   Allocation result, List<String> violations) {
        return "seed " + seed + ", step " + step + ": " + violations
                + "\n  layout:   " + spec.subgroups() + " disjoint=" + spec.disjoint()
                + "\n  view:     " + view
                + "\n  previous: " + previous
                + "\n  result:   " + result
                + "\n  replay:   ./mvnw -pl derecho-engine test -Dtest='DefaultAllocatorPropertiesTest' -Dlayout.seed=" + seed;
    }

    static LayoutSpec randomSpec(Random r) {
        boolean disjoint = r.nextInt(5) < 2;
        LayoutSpec.Builder b = LayoutSpec.builder().disjoint(disjoint)
                .profile(new Profile("small", 16, 256, 1 << 20, 4096, 2, BlockScheduleKind.CHAIN));
        int subgroups = 1 + r.nextInt(3);
        Set<Integer> reservedInOtherSubgroups = new HashSet<>();
        for (int g = 0; g < subgroups; g++) {
            int shards = 1 + r.nextInt(3);
            int min = 1 + r.nextInt(3);
            int max = r.nextInt(4) == 0 ? SubgroupLayoutSpec.UNBOUNDED : min + r.nextInt(3);
            List<List<Integer>> reserved = new ArrayList<>();
            if (r.nextInt(10) < 3) {
                Set<Integer> inThisSubgroup = new HashSet<>();
                for (int k = 0; k < shards; k++) {
                    List<Integer> ids = new ArrayList<>();
                    int n = r.nextInt(Math.min(max, 2) + 1);
                    for (int i = 0; i < n; i++) {
                        int id = r.nextInt(NODE_IDS);
                        if (inThisSubgroup.add(id) && !(disjoint && reservedInOtherSubgroups.contains(id))) {
                            ids.add(id);
                        }
                    }
                    reserved.add(ids);
                }
                reservedInOtherSubgroups.addAll(inThisSubgroup);
            }
            SendersRule senders = switch (r.nextInt(3)) {
                case 0 -> SendersRule.all();
                case 1 -> SendersRule.firstN(1 + r.nextInt(3));
                default -> SendersRule.nodes(r.nextInt(NODE_IDS), NODE_IDS + r.nextInt(4));
            };
            b.subgroup(new SubgroupLayoutSpec("sg" + g, shards, min, max, reserved, senders,
                    r.nextBoolean() ? Mode.ORDERED : Mode.UNORDERED, r.nextBoolean() ? Profile.DEFAULT : "small"));
        }
        return b.build();
    }

    static List<Integer> firstView(Random r) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < NODE_IDS; i++) {
            ids.add(i);
        }
        Collections.shuffle(ids, r);
        return new ArrayList<>(ids.subList(0, r.nextInt(NODE_IDS - 3)));
    }

    /** Members minus crashed ones, plus joiners (new or returning ids) appended, as a view change does. */
    static List<Integer> nextView(Random r, List<Integer> view) {
        int crashPercent = r.nextInt(4) == 0 ? 0 : r.nextInt(40);
        List<Integer> next = new ArrayList<>();
        for (int id : view) {
            if (r.nextInt(100) >= crashPercent) {
                next.add(id);
            }
        }
        int joins = r.nextInt(5);
        for (int i = 0; i < joins; i++) {
            int id = r.nextInt(NODE_IDS + 4);
            if (!next.contains(id) && !view.contains(id) || !next.contains(id) && r.nextInt(3) == 0) {
                next.add(id);
            }
        }
        return next;
    }
}
