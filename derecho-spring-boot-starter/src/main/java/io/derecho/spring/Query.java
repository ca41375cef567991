package io.derecho.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A read-only method of a {@link ReplicatedBean}: it runs on one replica of the shard (this
 * node's when it holds the shard, otherwise the members in turn), not through the ordered
 * multicast. It sees every ordered call that replica delivered, so it may miss one that is being
 * delivered elsewhere at that moment; it must not change the state.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Query {
}
