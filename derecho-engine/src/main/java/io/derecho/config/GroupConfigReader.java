package io.derecho.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Turns the YAML/JSON form of a {@link GroupConfig} into the validated record. */
final class GroupConfigReader {
    private GroupConfigReader() {
    }

    static GroupConfig parse(String text, boolean json) {
        ObjectMapper mapper = json ? JsonMapper.builder().build() : YAMLMapper.builder().build();
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JacksonException e) {
            throw new ConfigException("group configuration is not valid " + (json ? "JSON" : "YAML") + ": "
                    + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("group configuration must be a mapping with keys group, members, subgroups");
        }
        String group = text(root, "group", null);
        List<MemberSpec> members = new ArrayList<>();
        for (JsonNode m : array(root, "members")) {
            members.add(new MemberSpec(integer(m, "members[].id", "id", null),
                    text(m, "host", "127.0.0.1"), integer(m, "members[].port", "port", null)));
        }
        Map<String, Profile> profiles = new LinkedHashMap<>();
        JsonNode ps = root.get("profiles");
        if (ps != null && ps.isObject()) {
            for (Map.Entry<String, JsonNode> e : ps.properties()) {
                profiles.put(e.getKey(), profile(e.getKey(), e.getValue()));
            }
        }
        List<SubgroupSpec> subgroups = new ArrayList<>();
        for (JsonNode sg : array(root, "subgroups")) {
            String name = text(sg, "name", null);
            List<ShardSpec> shards = new ArrayList<>();
            for (JsonNode sh : array(sg, "shards")) {
                String key = "subgroups." + name + ".shards[" + shards.size() + "]";
                shards.add(new ShardSpec(ints(sh, key + ".members", "members"), ints(sh, key + ".senders", "senders"),
                        enumValue(Mode.class, sh, key + ".mode", "mode", Mode.ORDERED), text(sh, "profile", Profile.DEFAULT)));
            }
            subgroups.add(new SubgroupSpec(name, shards));
        }
        return new GroupConfig(group, members, profiles, subgroups);
    }

    private static Profile profile(String name, JsonNode p) {
        Profile d = Profile.defaults();
        String k = "profiles." + name + ".";
        return new Profile(name,
                integer(p, k + "window", "window", d.window()),
                integer(p, k + "maxSmcPayload", "maxSmcPayload", d.maxSmcPayload()),
                integer(p, k + "maxPayload", "maxPayload", d.maxPayload()),
                integer(p, k + "blockSize", "blockSize", d.blockSize()),
                integer(p, k + "largeWindow", "largeWindow", d.largeWindow()),
                enumValue(BlockScheduleKind.class, p, k + "schedule", "schedule", d.schedule()));
    }

    private static Iterable<JsonNode> array(JsonNode n, String field) {
        JsonNode a = n.get(field);
        if (a == null || !a.isArray()) {
            throw new ConfigException("missing or invalid " + field + ": expected a list");
        }
        return a;
    }

    private static String text(JsonNode n, String field, String def) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? def : v.asString();
    }

    private static Integer integer(JsonNode n, String key, String field, Integer def) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (def == null) {
                throw new ConfigException("missing " + key);
            }
            return def;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new ConfigException("invalid " + key + " = " + v + ": must be an integer");
        }
        return v.asInt();
    }

    private static List<Integer> ints(JsonNode n, String key, String field) {
        JsonNode v = n.get(field);
        List<Integer> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw new ConfigException("invalid " + key + " = " + v + ": must be a list of node ids");
        }
        for (JsonNode e : v) {
            if (!e.isIntegralNumber()) {
                throw new ConfigException("invalid " + key + " = " + v + ": must be a list of node ids");
            }
            out.add(e.asInt());
        }
        return out;
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, JsonNode n, String key, String field, E def) {
        String s = text(n, field, null);
        if (s == null) {
            return def;
        }
        try {
            return Enum.valueOf(type, s.trim().toUpperCase().replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid " + key + " = " + s + ": must be one of "
                    + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }
}
