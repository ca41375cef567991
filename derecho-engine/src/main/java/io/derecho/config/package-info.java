/**
 * Configuration of a group: members, settings profiles and the subgroup/shard layout, from YAML,
 * JSON or a builder. Every value is validated once, when the record is built, and an error names
 * the key and the bad value (for example {@code invalid subgroups.kv.shards[0].members = [1, 9]:
 * node 9 is not a group member}).
 */
package io.derecho.config;
