/**
 * Dynamic layout: for each view, the subgroups and their shards, recomputed from a
 * {@link io.derecho.layout.LayoutSpec} (YAML, JSON or builder) by a
 * {@link io.derecho.layout.LayoutAllocator}, by default the {@link io.derecho.layout.DefaultAllocator}.
 *
 * <p>A layout gives each subgroup a number of shards, a minimum and maximum number of members per
 * shard, optional reserved node ids per shard (a node reserved in several subgroups is how
 * subgroups overlap on chosen nodes; a reserved node serves only the shards that reserve it), a
 * senders rule (all, the first n, or listed nodes), ORDERED or UNORDERED delivery and a settings
 * profile. Without {@code disjoint: true} every subgroup draws on the whole view, as in Derecho;
 * with it, a node belongs to at most one subgroup.
 *
 * <p>Default allocation, over shards in index order: reserved nodes first; survivors stay in their
 * shard (sticky) up to its maximum; shards below their minimum take unassigned nodes in view rank
 * order; a shard still short takes the newest movable member of the shard with the largest
 * surplus (stickiness yields only when the view would otherwise be inadequate); the rest of the
 * view goes, in rank order, to the smallest shard below its maximum.
 *
 * <p>Invariants of every {@link io.derecho.layout.Allocation.Adequate} the default allocator returns:
 * <ul>
 *   <li>it is a function of (layout, view, previous allocation) alone: every node computes the same;</li>
 *   <li>each shard has between its minimum and maximum members, all in the view;</li>
 *   <li>a node is in at most one shard per subgroup, and in at most one subgroup when disjoint;</li>
 *   <li>every reserved node in the view is in the shard that reserves it, and reserved nodes are
 *       in no shard that does not reserve them;</li>
 *   <li>a survivor leaves its shard only when the shard is full of reserved nodes and earlier
 *       survivors, or when it was needed to bring another shard to its minimum and no unassigned
 *       node was left;</li>
 *   <li>no eligible node is left out while a shard that could take it is below its maximum;</li>
 *   <li>members are ordered survivors first (previous order), then newcomers (view rank order);
 *       senders are the senders rule applied in that order.</li>
 * </ul>
 * If any shard cannot reach its minimum the result is {@link io.derecho.layout.Allocation.Inadequate}
 * with a reason naming each short shard, what it has and needs, and the view; it carries the last
 * adequate allocation so the next view still sticks to it. The group then stays wedged and waits
 * for joins. Inadequate is returned exactly when no allocation could meet every minimum.
 */
package io.derecho.layout;
