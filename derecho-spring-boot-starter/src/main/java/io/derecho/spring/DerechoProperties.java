package io.derecho.spring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code derecho.*} properties: who this node is, the group's initial members, how it takes
 * part (initial member or joiner), failure detection, call timeouts, multicast profiles and the
 * static subgroups and shards (inline, or from {@code derecho.config-file}).
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
    /** How long a replicated bean's proxy waits for a call's result, in milliseconds. */
    private long callTimeoutMillis = 30_000;
    /** The transport between members; {@code tcp} (Netty) is the one this build has. */
    private String transport = "tcp";
    /**
     * A group configuration file (YAML, or JSON when it ends in .json) with the members, profiles
     * and subgroups; then {@code derecho.members}, {@code derecho.profiles} and
     * {@code derecho.subgroups} must be empty.
     */
    private String configFile;
    /** Named multicast settings that shards refer to ({@code default} is always there). */
    private Map<String, Profile> profiles = new LinkedHashMap<>();
    /** The subgroups and their shards, member by member (a static layout). */
    private List<Subgroup> subgroups = new ArrayList<>();
    /**
     * A dynamic layout instead of {@code subgroups}: each view places its members into shards by
     * these shapes, so joiners are given shards and failures are filled from spare nodes.
     */
    private Layout layout = new Layout();
    /** A layout file (YAML, or JSON when it ends in .json, with a {@code layout:} section) instead of {@code layout}. */
    private String layoutFile;

    /** A dynamic layout: the shape of each subgroup. */
    public static class Layout {
        /** A node serves at most one subgroup. */
        private boolean disjoint;
        /** The subgroups' shapes. */
        private List<LayoutSubgroup> subgroups = new ArrayList<>();

        public boolean isDisjoint() {
            return disjoint;
        }

        public void setDisjoint(boolean disjoint) {
            this.disjoint = disjoint;
        }

        public List<LayoutSubgroup> getSubgroups() {
            return subgroups;
        }

        public void setSubgroups(List<LayoutSubgroup> subgroups) {
            this.subgroups = subgroups;
        }
    }

    /** The shape of one subgroup in a dynamic layout. */
    public static class LayoutSubgroup {
        private String name;
        /** How many shards. */
        private int shards = 1;
        /** Members each shard needs; a view that cannot give every shard this many is inadequate. */
        private int minMembers = 1;
        /** Members each shard takes at most (0: no limit). */
        private int maxMembers;
        /** Ordered or unordered. */
        private String mode = "ordered";
        /** The profile with the shards' multicast settings. */
        private String profile = "default";

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public int getShards() {
            return shards;
        }

        public void setShards(int shards) {
            this.shards = shards;
        }

        public int getMinMembers() {
            return minMembers;
        }

        public void setMinMembers(int minMembers) {
            this.minMembers = minMembers;
        }

        public int getMaxMembers() {
            return maxMembers;
        }

        public void setMaxMembers(int maxMembers) {
            this.maxMembers = maxMembers;
        }

        public String getMode() {
            return mode;
        }

        public void setMode(String mode) {
            this.mode = mode;
        }

        public String getProfile() {
            return profile;
        }

        public void setProfile(String profile) {
            this.profile = profile;
        }
    }

    /** Multicast settings of a profile; unset values keep the defaults. */
    public static class Profile {
        /** Slots in each sender's ring (messages a sender may be ahead of the slowest delivery). */
        private Integer window;
        /** Largest message sent through the slot ring, in bytes; larger ones go in blocks. */
        private Integer maxSmcPayload;
        /** Largest message accepted, in bytes. */
        private Integer maxPayload;
        /** Block size of the large-message path, in bytes. */
        private Integer blockSize;

        public Integer getWindow() {
            return window;
        }

        public void setWindow(Integer window) {
            this.window = window;
        }

        public Integer getMaxSmcPayload() {
            return maxSmcPayload;
        }

        public void setMaxSmcPayload(Integer maxSmcPayload) {
            this.maxSmcPayload = maxSmcPayload;
        }

        public Integer getMaxPayload() {
            return maxPayload;
        }

        public void setMaxPayload(Integer maxPayload) {
            this.maxPayload = maxPayload;
        }

        public Integer getBlockSize() {
            return blockSize;
        }

        public void setBlockSize(Integer blockSize) {
            this.blockSize = blockSize;
        }
    }

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
        /** The profile with the shard's multicast settings. */
        private String profile = "default";

        public String getProfile() {
            return profile;
        }

        public void setProfile(String profile) {
            this.profile = profile;
        }

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

    public long getCallTimeoutMillis() {
        return callTimeoutMillis;
    }

    public void setCallTimeoutMillis(long callTimeoutMillis) {
        this.callTimeoutMillis = callTimeoutMillis;
    }

    public String getTransport() {
        return transport;
    }

    public void setTransport(String transport) {
        this.transport = transport;
    }

    public String getConfigFile() {
        return configFile;
    }

    public void setConfigFile(String configFile) {
        this.configFile = configFile;
    }

    public Map<String, Profile> getProfiles() {
        return profiles;
    }

    public void setProfiles(Map<String, Profile> profiles) {
        this.profiles = profiles;
    }

    public Layout getLayout() {
        return layout;
    }

    public void setLayout(Layout layout) {
        this.layout = layout;
    }

    public String getLayoutFile() {
        return layoutFile;
    }

    public void setLayoutFile(String layoutFile) {
        this.layoutFile = layoutFile;
    }

    public List<Subgroup> getSubgroups() {
        return subgroups;
    }

    public void setSubgroups(List<Subgroup> subgroups) {
        this.subgroups = subgroups;
    }
}
