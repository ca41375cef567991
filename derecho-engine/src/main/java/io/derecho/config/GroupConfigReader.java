package io.derecho.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Turns the YAML/JSON form of a {@link GroupConfig} into the validated record. */
final class GroupConfigReader {
    // JSON-tree helpers shared with the layout reader live in ConfigNodes.
    private GroupConfigReader() {
    }

    static GroupConfig parse(String text, boolean json) {
        JsonNode root = ConfigNodes.parse(text, json, "group configuration");
        if (root == null || !root.isObject()) {
            throw new ConfigException("group configuration must be a mapping with keys group, members, subgroups");
        }
        String group = ConfigNodes.text(root, "group", null);
        List<MemberSpec> members = new ArrayList<>();
        for (JsonNode m : ConfigNodes.array(root, "members")) {
            members.add(new MemberSpec(ConfigNodes.integer(m, "members[].id", "id", null),
                    ConfigNodes.text(m, "host", "127.0.0.1"), ConfigNodes.integer(m, "members[].port", "port", null)));
        }
        Map<String, Profile> profiles = new LinkedHashMap<>();
        JsonNode ps = root.get("profiles");
        if (ps != null && ps.isObject()) {
            for (Map.Entry<String, JsonNode> e : ps.properties()) {
                profiles.put(e.getKey(), ConfigNodes.profile(e.getKey(), e.getValue()));
            }
        }
        List<SubgroupSpec> subgroups = new ArrayList<>();
        for (JsonNode sg : ConfigNodes.array(root, "subgroups")) {
            String name = ConfigNodes.text(sg, "name", null);
            List<ShardSpec> shards = new ArrayList<>();
            for (JsonNode sh : ConfigNodes.array(sg, "shards")) {
                String key = "subgroups." + name + ".shards[" + shards.size() + "]";
                shards.add(new ShardSpec(ConfigNodes.ints(sh, key + ".members", "members"), ConfigNodes.ints(sh, key + ".senders", "senders"),
                        ConfigNodes.enumValue(Mode.class, sh, key + ".mode", "mode", Mode.ORDERED), ConfigNodes.text(sh, "profile", Profile.DEFAULT)));
            }
            subgroups.add(new SubgroupSpec(name, shards));
        }
        return new GroupConfig(group, members, profiles, subgroups);
    }

}
