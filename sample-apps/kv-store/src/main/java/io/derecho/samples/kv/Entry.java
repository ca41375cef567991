package io.derecho.samples.kv;

/**
 * A stored value with the version of the ordered call that wrote it (the view id in the high 32
 * bits, the position in the shard's order below: versions grow with every write of the shard).
 */
public record Entry(String key, String value, long version) {
}
