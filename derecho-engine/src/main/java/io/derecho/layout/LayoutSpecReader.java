package io.derecho.layout;

import io.derecho.config.ConfigException;
import io.derecho.config.ConfigNodes;
import io.derecho.config.Mode;
import io.derecho.config.Profile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Turns the YAML/JSON form of a {@link LayoutSpec} into the validated record. Unknown keys inside
 * the {@code layout} section are refused by name, so a misspelt setting does not silently fall
 * back to its default.
 */
final class LayoutSpecReader {
    private static final Set<String> LAYOUT_KEYS = Set.of("disjoint", "subgroups");
    private static final Set<String> SUBGROUP_KEYS = Set.of("name", "shards", "minMembersPerShard",
            "maxMembersPerShard", "reservedNodeIds", "senders", "mode", "profile");
    private static final Set<String> PROFILE_KEYS = Set.of("window", "maxSmcPayload", "maxPayload", "blockSize",
            "largeWindow", "schedule");

    private LayoutSpecReader() {
    }

    static LayoutSpec parse(String text, boolean json) {
        JsonNode root = ConfigNodes.parse(text, json, "layout");
        if (root == null || !root.isObject() || !root.has("layout")) {
            throw new ConfigException("a layout file must be a mapping with a layout section (and optionally profiles)");
        }
        JsonNode layout = root.get("layout");
        if (!layout.isObject()) {
            throw new ConfigException("invalid layout = " + layout + ": must be a mapping with keys "
                    + sorted(LAYOUT_KEYS));
        }
        knownKeys(layout, "layout", LAYOUT_KEYS);
        Map<String, Profile> profiles = new LinkedHashMap<>();
        JsonNode ps = root.get("profiles");
        if (ps != null && !ps.isNull()) {
            if (!ps.isObject()) {
                throw new ConfigException("invalid profiles = " + ps + ": must be a mapping from name to settings");
            }
            for (Map.Entry<String, JsonNode> e : ps.properties()) {
                profiles.put(e.getKey(), profile(e.getKey(), e.getValue()));
            }
        }
        JsonNode sgs = layout.get("subgroups");
        if (sgs == null || !sgs.isArray()) {
            throw new ConfigException("missing or invalid layout.subgroups: expected a list");
        }
        List<SubgroupLayoutSpec> subgroups = new ArrayList<>();
        for (JsonNode sg : sgs) {
            subgroups.add(subgroup(sg));
        }
        return new LayoutSpec(profiles, subgroups, bool(layout, "layout.disjoint", "disjoint", false));
    }

    private static SubgroupLayoutSpec subgroup(JsonNode sg) {
        if (!sg.isObject()) {
            throw new ConfigException("invalid layout.subgroups[] = " + sg + ": each subgroup must be a mapping");
        }
        JsonNode nameNode = sg.get("name");
        String name = nameNode == null || nameNode.isNull() ? null : nameNode.asString();
        String k = "layout.subgroups." + name + ".";
        knownKeys(sg, name == null ? "layout.subgroups[]" : "layout.subgroups." + name, SUBGROUP_KEYS);
        int shards = ConfigNodes.integer(sg, k + "shards", "shards", 1);
        int min = ConfigNodes.integer(sg, k + "minMembersPerShard", "minMembersPerShard", 1);
        int max = maxMembers(sg, k + "maxMembersPerShard");
        return new SubgroupLayoutSpec(name, shards, min, max, reserved(sg, k + "reservedNodeIds"),
                senders(sg, k + "senders"), ConfigNodes.enumValue(Mode.class, sg, k + "mode", "mode", Mode.ORDERED),
                ConfigNodes.text(sg, "profile", Profile.DEFAULT));
    }

    private static int maxMembers(JsonNode sg, String key) {
        JsonNode v = sg.get("maxMembersPerShard");
        if (v != null && v.isString()) {
            if (v.asString().trim().equalsIgnoreCase("unbounded")) {
                return SubgroupLayoutSpec.UNBOUNDED;
            }
            throw new ConfigException("invalid " + key + " = " + v + ": must be an integer or unbounded");
        }
        return ConfigNodes.integer(sg, key, "maxMembersPerShard", SubgroupLayoutSpec.UNBOUNDED);
    }

    private static List<List<Integer>> reserved(JsonNode sg, String key) {
        JsonNode v = sg.get("reservedNodeIds");
        List<List<Integer>> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw new ConfigException("invalid " + key + " = " + v + ": must be a list with a list of node ids per shard");
        }
        for (JsonNode shard : v) {
            if (!shard.isArray()) {
                throw new ConfigException("invalid " + key + " = " + v
                        + ": must be a list with a list of node ids per shard");
            }
            out.add(nodeIds(shard, key, v));
        }
        return out;
    }

    private static SendersRule senders(JsonNode sg, String key) {
        JsonNode v = sg.get("senders");
        String rule = ": must be all, {first: n} or a list of node ids";
        if (v == null || v.isNull()) {
            return SendersRule.all();
        }
        if (v.isString() && v.asString().trim().equalsIgnoreCase("all")) {
            return SendersRule.all();
        }
        if (v.isArray()) {
            return new SendersRule.Explicit(nodeIds(v, key, v));
        }
        if (v.isObject() && v.size() == 1 && v.has("first")) {
            JsonNode n = v.get("first");
            if (!n.isIntegralNumber() || !n.canConvertToInt()) {
                throw new ConfigException("invalid " + key + " = " + v + rule);
            }
            return SendersRule.firstN(n.asInt());
        }
        throw new ConfigException("invalid " + key + " = " + v + rule);
    }

    private static List<Integer> nodeIds(JsonNode list, String key, JsonNode whole) {
        List<Integer> ids = new ArrayList<>();
        for (JsonNode e : list) {
            if (!e.isIntegralNumber() || !e.canConvertToInt()) {
                throw new ConfigException("invalid " + key + " = " + whole + ": node ids must be integers");
            }
            ids.add(e.asInt());
        }
        return ids;
    }

    private static Profile profile(String name, JsonNode p) {
        if (!p.isObject()) {
            throw new ConfigException("invalid profiles." + name + " = " + p + ": must be a mapping of settings");
        }
        knownKeys(p, "profiles." + name, PROFILE_KEYS);
        return ConfigNodes.profile(name, p);
    }

    private static void knownKeys(JsonNode n, String where, Set<String> known) {
        for (String field : n.propertyNames()) {
            if (!known.contains(field)) {
                throw new ConfigException("unknown key " + where + "." + field + ": expected one of " + sorted(known));
            }
        }
    }

    private static List<String> sorted(Set<String> keys) {
        return keys.stream().sorted().toList();
    }


    private static boolean bool(JsonNode n, String key, String field, boolean def) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isBoolean()) {
            throw new ConfigException("invalid " + key + " = " + v + ": must be true or false");
        }
        return v.asBoolean();
    }


}
