package io.derecho.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The argument of a {@link ReplicatedBean} method that picks the shard: the call goes to shard
 * {@code floorMod(crc32c(encoded key), shards)}, the same on every node and in every run (the key
 * is encoded with the group's codec). Without it a call goes to the subgroup's only shard, or to
 * this node's shard when the subgroup has several.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ShardKey {
}
