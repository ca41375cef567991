package io.derecho.spring;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code derecho.*} properties: who this node is, the group's initial members, how it takes
 * part (initial member or joiner), failure detection, and the static subgroups and shards.
 *
 * <pre>
 * derecho:
 *   node-id: 0
 *   group: orders
 *   members:
 *     - {id: 0, host: 127.0.0.1, port: 7000}
 *     - {id: 1, host: 127.0.0.1, port: 7001}
 *   subgroups:
 *     - name: counters
 *       shards:
 *         - members: [0, 1]
 * </pre>
 */
@ConfigurationProperties(prefix = "derecho")
public class DerechoProperties {
    /** This node's id (required). */
    private Integer nodeId;
    /** The group's name; members of other groups are refused. */
    private String group = "derecho";
    /** The initial members (view 0) and the contacts of joiners. */
    private List<Member> members = new ArrayList<>();
    /** Join the running group instead of forming view 0 with the other initial members. */
    private boolean join;
    /** Where to listen when this node is not one of the configured members (a joiner). */
    private String listenHost;
    private int listenPort;
    /** How often a member bumps its heartbeat, in milliseconds. */
    private long heartbeatMillis = 100;
    /** A member silent this long is suspected and removed, in milliseconds. */
    private long suspectAfterMillis = 2000;
    /** A new view needs a majority of the previous one. */
    private boolean partitionSafety = true;
    /** How long to wait at start-up for the node to take part, in seconds. */
    private long startTimeoutSeconds = 60;
    /** The subgroups and their shards. */
    private List<Subgroup> subgroups = new ArrayList<>();

    /** One configured member. */
    public static class Member {
        private int id;
        private String host;
        private int port;

        public int getId() {
            return id;
        }

        public void setId(int id) {
            this.id = id;
        }

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }
    }

    /** A subgroup and its shards. */
    public static class Subgroup {
        private String name;
        private List<Shard> shards = new ArrayList<>();

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public List<Shard> getShards() {
            return shards;
        }

        public void setShards(List<Shard> shards) {
            this.shards = shards;
        }
    }

    /** A shard: its members in rank order, who may send (all when empty), ordered or unordered. */
    public static class Shard {
        private List<Integer> members = new ArrayList<>();
        private List<Integer> senders = new ArrayList<>();
        private String mode = "ordered";

        public List<Integer> getMembers() {
            return members;
        }

        public void setMembers(List<Integer> members) {
            this.members = members;
        }

        public List<Integer> getSenders() {
            return senders;
        }

        public void setSenders(List<Integer> senders) {
            this.senders = senders;
        }

        public String getMode() {
            return mode;
        }

        public void setMode(String mode) {
            this.mode = mode;
        }
    }

    public Integer getNodeId() {
        return nodeId;
    }

    public void setNodeId(Integer nodeId) {
        this.nodeId = nodeId;
    }

    public String getGroup() {
        return group;
    }

    public void setGroup(String group) {
        this.group = group;
    }

    public List<Member> getMembers() {
        return members;
    }

    public void setMembers(List<Member> members) {
        this.members = members;
    }

    public boolean isJoin() {
        return join;
    }

    public void setJoin(boolean join) {
        this.join = join;
    }

    public String getListenHost() {
        return listenHost;
    }

    public void setListenHost(String listenHost) {
        this.listenHost = listenHost;
    }

    public int getListenPort() {
        return listenPort;
    }

    public void setListenPort(int listenPort) {
        this.listenPort = listenPort;
    }

    public long getHeartbeatMillis() {
        return heartbeatMillis;
    }

    public void setHeartbeatMillis(long heartbeatMillis) {
        this.heartbeatMillis = heartbeatMillis;
    }

    public long getSuspectAfterMillis() {
        return suspectAfterMillis;
    }

    public void setSuspectAfterMillis(long suspectAfterMillis) {
        this.suspectAfterMillis = suspectAfterMillis;
    }

    public boolean isPartitionSafety() {
        return partitionSafety;
    }

    public void setPartitionSafety(boolean partitionSafety) {
        this.partitionSafety = partitionSafety;
    }

    public long getStartTimeoutSeconds() {
        return startTimeoutSeconds;
    }

    public void setStartTimeoutSeconds(long startTimeoutSeconds) {
        this.startTimeoutSeconds = startTimeoutSeconds;
    }

    public List<Subgroup> getSubgroups() {
        return subgroups;
    }

    public void setSubgroups(List<Subgroup> subgroups) {
        this.subgroups = subgroups;
    }
}
