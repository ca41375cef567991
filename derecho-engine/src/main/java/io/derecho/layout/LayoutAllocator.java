package io.derecho.layout;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rule that turns a view into subgroups and shards; the extension point for custom
 * allocation functions ({@link DefaultAllocator} is the one a {@link LayoutSpec} describes).
 *
 * <p>Every member of a view runs the allocator on the same inputs and must reach the same result,
 * so an implementation must be a deterministic function of its arguments: no clocks, no
 * randomness, no iteration over hash orders that differ between JVMs, no state kept between calls.
 */
@FunctionalInterface
public interface LayoutAllocator {

    /**
     * Lays out a view.
     *
     * @param members  the new view's node ids in rank order
     * @param previous the previous view's allocation (null for the first view). An
     *                 {@link Allocation.Inadequate} stands for the last adequate allocation it
     *                 carries ({@link Allocation#lastAdequate()})
     * @return an {@link Allocation.Adequate} layout, or {@link Allocation.Inadequate} with the reason
     *         when the view is too small; the group then stays wedged until joins make it adequate
     */
    Allocation allocate(List<Integer> members, Allocation previous);

    /**
     * {@code delegate}, checked: an adequate allocation that names a node outside the view is
     * refused with an {@link IllegalStateException} naming the shard and the node, so a faulty
     * custom allocator fails at the view change instead of corrupting the next epoch.
     */
    static LayoutAllocator checked(LayoutAllocator delegate) {
        return (members, previous) -> {
            Allocation a = delegate.allocate(members, previous);
            if (a == null) {
                throw new IllegalStateException("layout allocator returned null for view " + members);
            }
            if (a instanceof Allocation.Adequate adequate) {
                Set<Integer> inView = new HashSet<>(members);
                for (var shard : adequate.shards()) {
                    for (int id : shard.members()) {
                        if (!inView.contains(id)) {
                            throw new IllegalStateException("layout allocator placed node " + id + " in " + shard
                                    + " but it is not in the view " + members);
                        }
                    }
                }
            }
            return a;
        };
    }
}
