package io.derecho.config;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reading values out of a parsed YAML/JSON tree with errors that name the key and the value; shared
 * by the group configuration and the layout description so both read profiles and values alike.
 */
public final class ConfigNodes {
    private ConfigNodes() {
    }

    /** Parses YAML or JSON text; a syntax error becomes a {@link ConfigException} naming {@code what}. */
    public static JsonNode parse(String text, boolean json, String what) {
        tools.jackson.databind.ObjectMapper mapper = json ? tools.jackson.databind.json.JsonMapper.builder().build()
                : tools.jackson.dataformat.yaml.YAMLMapper.builder().build();
        try {
            return mapper.readTree(text);
        } catch (tools.jackson.core.JacksonException e) {
            throw new ConfigException(what + " is not valid " + (json ? "JSON" : "YAML") + ": " + e.getOriginalMessage(), e);
        }
    }

    public static Profile profile(String name, JsonNode p) {
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

    public static Iterable<JsonNode> array(JsonNode n, String field) {
        JsonNode a = n.get(field);
        if (a == null || !a.isArray()) {
            throw new ConfigException("missing or invalid " + field + ": expected a list");
        }
        return a;
    }

    public static String text(JsonNode n, String field, String def) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? def : v.asString();
    }

    public static Integer integer(JsonNode n, String key, String field, Integer def) {
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

    public static List<Integer> ints(JsonNode n, String key, String field) {
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

    public static <E extends Enum<E>> E enumValue(Class<E> type, JsonNode n, String key, String field, E def) {
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
