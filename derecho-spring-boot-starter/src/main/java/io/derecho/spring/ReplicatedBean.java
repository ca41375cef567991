package io.derecho.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a class the type of a subgroup. Every node serving a shard of that subgroup holds one
 * instance per shard (created by Spring, so constructor injection, {@code @Value} and profiles
 * work); the bean that other beans inject is a proxy that turns each method call into a call on
 * the replicas:
 * <ul>
 *   <li>by default an <b>ordered call</b>: multicast to every member of the shard, run by each in the
 *       same order, the caller gets the result (from its own replica when it holds the shard);</li>
 *   <li>a {@link Query @Query} method runs on one replica: this node's when it holds the shard;</li>
 *   <li>the {@link ShardKey @ShardKey} argument picks the shard; from a node that does not hold
 *       the shard the call is relayed through one of its members.</li>
 * </ul>
 * Classes are found in the application's auto-configuration packages (those of the
 * {@code @SpringBootApplication} class). Their state moves to new members through state transfer:
 * implement {@link io.derecho.object.CodecState} or {@link io.derecho.object.Snapshotting}.
 *
 * <pre>{@code
 * @ReplicatedBean(subgroup = "kv")
 * public class KvStore implements CodecState<TreeMap<String, String>> {
 *     public String put(@ShardKey String key, String value) { ... }   // ordered
 *     @Query public String get(@ShardKey String key) { ... }          // one replica
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ReplicatedBean {
    /** The subgroup (as configured under {@code derecho.subgroups}); default: the simple class name, decapitalized. */
    String subgroup() default "";
}
