package io.derecho.membership;

import io.derecho.config.GroupConfig;
import io.derecho.layout.Allocation;
import io.derecho.layout.LayoutAllocator;
import io.derecho.layout.LayoutSpec;
import io.derecho.multicast.GroupLayout;
import io.derecho.multicast.ShardLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * How each view gets its subgroups and shards: the static shards of a {@link GroupConfig}, or a
 * {@link LayoutAllocator} (a {@link LayoutSpec}'s default allocator or a custom one) run for every
 * view. Every member computes the same placement from the same inputs; a joiner whose policy has a
 * different {@link #fingerprint()} is refused.
 */
public interface LayoutPolicy {

    /** The shards of a view, or the reason there can be none yet. */
    record Placement(List<ShardLayout> shards, String inadequate, Allocation allocation) {
    }

    /**
     * Places {@code members} (rank order) for view {@code viewId}; {@code previous} is the previous
     * view's allocation (null for the first view or a static layout).
     */
    Placement place(int viewId, int[] members, Allocation previous);

    /** A digest of the layout description, equal on members that agree on it. */
    long fingerprint();

    /**
     * The configuration's static shards, restricted to the members of each view; a shard left
     * without members is left out of the view (it can never be inadequate).
     */
    static LayoutPolicy of(GroupConfig config) {
        StringBuilder canonical = new StringBuilder(config.subgroups().toString());
        new TreeMap<>(config.profiles()).forEach((k, v) -> canonical.append(k).append('=').append(v));
        long digest = digest(canonical.toString());
        return new LayoutPolicy() {
            @Override
            public Placement place(int viewId, int[] members, Allocation previous) {
                return new Placement(GroupLayout.fromConfig(config, viewId, members).shards(), null, null);
            }

            @Override
            public long fingerprint() {
                return digest;
            }
        };
    }

    /** The default allocator of {@code spec}, run for every view. */
    static LayoutPolicy of(LayoutSpec spec) {
        return of(spec.allocator(), spec.toString());
    }

    /**
     * A custom allocator; {@code description} identifies it and its parameters (members whose
     * descriptions differ cannot be in one group).
     */
    static LayoutPolicy of(LayoutAllocator allocator, String description) {
        LayoutAllocator checked = LayoutAllocator.checked(allocator);
        long digest = digest(description);
        return new LayoutPolicy() {
            @Override
            public Placement place(int viewId, int[] members, Allocation previous) {
                Allocation a = checked.allocate(Arrays.stream(members).boxed().toList(), previous);
                if (a instanceof Allocation.Adequate adequate) {
                    return new Placement(adequate.shards(), null, a);
                }
                return new Placement(List.of(), ((Allocation.Inadequate) a).reason(), a);
            }

            @Override
            public long fingerprint() {
                return digest;
            }
        };
    }

    private static long digest(String s) {
        CRC32C crc = new CRC32C();
        crc.update(s.getBytes(StandardCharsets.UTF_8));
        return crc.getValue() ^ ((long) s.hashCode() << 32);
    }
}
