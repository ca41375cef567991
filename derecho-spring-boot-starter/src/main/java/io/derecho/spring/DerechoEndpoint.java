package io.derecho.spring;

import io.derecho.membership.NodeStatus;
import io.derecho.membership.View;
import io.derecho.multicast.ShardFrontier;
import io.derecho.multicast.ShardLayout;
import io.derecho.object.GroupStatistics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The Actuator endpoint {@code derecho}: this node's view of its group. Answers "is my cluster
 * healthy" at a glance ({@code state}, {@code view.adequate}, {@code suspected},
 * {@code pendingChanges}) and in detail (members with addresses, every shard with its members,
 * this node's shards with the frontiers it sees, its roles, its counters).
 */
@Endpoint(id = "derecho")
public class DerechoEndpoint {
    private final Derecho derecho;

    public DerechoEndpoint(Derecho derecho) {
        this.derecho = derecho;
    }

    @ReadOperation
    public Map<String, Object> derecho() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node", derecho.nodeId());
        out.put("group", derecho.config().groupName());
        NodeStatus status = derecho.status();
        out.put("state", state(derecho, status));
        if (status == null || status.view() == null) {
            return out;
        }
        View v = status.view();
        out.put("summary", summary(derecho, status));
        if (status.stopped() != null) {
            out.put("stoppedBecause", status.stopped());
        }
        out.put("view", view(v));
        out.put("pendingChanges", status.pendingChanges());
        out.put("suspected", status.suspected());
        out.put("wedged", status.wedged());
        out.put("subgroups", subgroups(v, status.shards()));
        out.put("myRoles", roles(v, derecho.nodeId()));
        GroupStatistics stats = derecho.statistics();
        if (stats != null) {
            out.put("statistics", statistics(stats));
        }
        return out;
    }

    /**
     * RUNNING; JOINING (started, not in a view yet); INADEQUATE (the view's layout cannot be
     * filled); STOPPED (partitioned from the majority, removed, or it could not join); LEFT (left
     * cleanly, the context stopped); NOT_STARTED.
     */
    static String state(Derecho derecho, NodeStatus status) {
        if (status == null) {
            return derecho.hasLeft() ? "LEFT" : "NOT_STARTED";
        }
        if (status.stopped() != null) {
            return "STOPPED";
        }
        if (status.view() == null) {
            return "JOINING";
        }
        return status.view().adequate() ? "RUNNING" : "INADEQUATE";
    }

    /**
     * One line for a glance: the view, each shard's members against the configured count, what is
     * pending. E.g. {@code view 1: 5 members; kv/0 [0, 1, 2]; kv/1 [3, 4] (1 of 3 configured missing); nothing pending}.
     */
    static String summary(Derecho derecho, NodeStatus status) {
        View v = status.view();
        StringBuilder b = new StringBuilder("view ").append(v.id()).append(": ").append(v.members().length).append(" members");
        if (!v.adequate()) {
            b.append(", INADEQUATE");
        }
        for (ShardLayout s : v.layout().shards()) {
            b.append("; ").append(s.subgroupName()).append('/').append(s.shard()).append(' ').append(Arrays.toString(s.members()));
            int configured = derecho.configuredReplicas(s.subgroupName(), s.shard());
            if (configured > s.members().length) {
                b.append(" (").append(configured - s.members().length).append(" of ").append(configured)
                        .append(" configured missing)");
            }
        }
        if (status.stopped() != null) {
            b.append("; STOPPED");
        } else if (status.pendingChanges().isEmpty() && status.suspected().isEmpty()) {
            b.append("; nothing pending");
        } else {
            b.append("; changing: ").append(status.pendingChanges()).append(", suspected ").append(status.suspected());
        }
        return b.toString();
    }

    private static Map<String, Object> view(View v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", v.id());
        List<Map<String, Object>> members = new ArrayList<>();
        for (int i = 0; i < v.members().length; i++) {
            members.add(fields("id", v.members()[i], "address", v.addresses()[i]));
        }
        m.put("members", members);
        m.put("joined", v.joined());
        m.put("departed", v.departed());
        m.put("adequate", v.adequate());
        return m;
    }

    private static List<Map<String, Object>> subgroups(View v, List<ShardFrontier> frontiers) {
        Map<String, List<Map<String, Object>>> bySubgroup = new LinkedHashMap<>();
        for (ShardLayout s : v.layout().shards()) {
            Map<String, Object> shard = new LinkedHashMap<>();
            shard.put("shard", s.shard());
            shard.put("members", s.members());
            shard.put("senders", s.senders());
            for (ShardFrontier f : frontiers) {
                if (f.subgroup().equals(s.subgroupName()) && f.shard() == s.shard()) {
                    shard.put("frontier", frontier(f));
                }
            }
            bySubgroup.computeIfAbsent(s.subgroupName(), k -> new ArrayList<>()).add(shard);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        bySubgroup.forEach((name, shards) -> out.add(fields("name", name, "shards", shards)));
        return out;
    }

    private static Map<String, Object> frontier(ShardFrontier f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stable", f.stable());
        List<Map<String, Object>> members = new ArrayList<>();
        for (int i = 0; i < f.members().length; i++) {
            members.add(fields("id", f.members()[i], "received", f.received()[i], "delivered", f.delivered()[i]));
        }
        m.put("members", members);
        return m;
    }

    private static List<Map<String, Object>> roles(View v, int me) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (v.members().length > 0 && v.members()[0] == me) {
            out.add(fields("role", "leader", "of", "view " + v.id()));
        }
        for (ShardLayout s : v.layout().shards()) {
            if (s.hasMember(me)) {
                int rank = Arrays.stream(s.members()).boxed().toList().indexOf(me);
                out.add(fields("role", rank == 0 ? "shard leader" : "replica", "subgroup", s.subgroupName(),
                        "shard", s.shard(), "sender", s.senderRank(me) >= 0));
            }
        }
        return out;
    }

    private static Map<String, Object> statistics(GroupStatistics s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("messagesSent", s.messagesSent());
        m.put("bytesSent", s.bytesSent());
        m.put("messagesDelivered", s.messagesDelivered());
        m.put("bytesDelivered", s.bytesDelivered());
        m.put("viewsInstalled", s.viewsInstalled());
        m.put("failuresSuspected", s.failuresSuspected());
        return m;
    }

    /** A JSON object with its fields in the given order (name, value, name, value...). */
    private static Map<String, Object> fields(Object... nameValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            m.put((String) nameValues[i], nameValues[i + 1]);
        }
        return m;
    }
}
