package io.derecho.config;

import java.util.List;

/** A named subgroup and its shards. */
public record SubgroupSpec(String name, List<ShardSpec> shards) {
    public SubgroupSpec {
        shards = List.copyOf(shards);
    }
}
