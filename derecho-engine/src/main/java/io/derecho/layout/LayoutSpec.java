package io.derecho.layout;

import static io.derecho.config.ConfigException.check;

import io.derecho.config.ConfigException;
import io.derecho.config.Mode;
import io.derecho.config.Profile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A dynamic layout: the rule that maps each view to subgroups and shards. Read from YAML or JSON
 * ({@link #load}, {@link #parse}) or built with {@link #builder()}; validated once, at
 * construction, with errors that name the key and the bad value.
 *
 * @param profiles  multicast settings by name; always contains {@code default}
 *                  ({@link Profile#defaults()} unless overridden)
 * @param subgroups the subgroups, in subgroup index order
 * @param disjoint  when true a node is a member of at most one subgroup; when false (the default,
 *                  as in Derecho) every subgroup allocates from the whole view and unreserved nodes
 *                  may serve several subgroups
 */
public record LayoutSpec(Map<String, Profile> profiles, List<SubgroupLayoutSpec> subgroups, boolean disjoint) {

    public LayoutSpec {
        Map<String, Profile> withDefault = new LinkedHashMap<>();
        withDefault.put(Profile.DEFAULT, Profile.defaults());
        if (profiles != null) {
            withDefault.putAll(profiles);
        }
        profiles = Collections.unmodifiableMap(withDefault);
        subgroups = subgroups == null ? List.of() : List.copyOf(subgroups);
        validate(profiles, subgroups, disjoint);
    }

    private static void validate(Map<String, Profile> profiles, List<SubgroupLayoutSpec> subgroups,
                                 boolean disjoint) {
        for (Map.Entry<String, Profile> e : profiles.entrySet()) {
            check(e.getKey().equals(e.getValue().name()), "profiles." + e.getKey() + ".name", e.getValue().name(),
                    "must match the profile's key");
        }
        check(!subgroups.isEmpty(), "layout.subgroups", subgroups, "a layout needs at least one subgroup");
        Set<String> names = new HashSet<>();
        Map<Integer, String> reservedBy = new HashMap<>();
        for (SubgroupLayoutSpec sg : subgroups) {
            String k = "layout.subgroups." + sg.name() + ".";
            check(names.add(sg.name()), "layout.subgroups[].name", sg.name(), "duplicate subgroup name");
            check(profiles.containsKey(sg.profile()), k + "profile", sg.profile(),
                    "no such profile; known: " + profiles.keySet());
            if (disjoint) {
                for (List<Integer> shard : sg.reservedNodeIds()) {
                    for (int id : shard) {
                        String other = reservedBy.putIfAbsent(id, sg.name());
                        check(other == null, k + "reservedNodeIds", sg.reservedNodeIds(), "node " + id
                                + " is also reserved in subgroup " + other + ", but layout.disjoint is true");
                    }
                }
            }
        }
    }

    /** The subgroup called {@code name}. */
    public Optional<SubgroupLayoutSpec> subgroup(String name) {
        return subgroups.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Index of the subgroup called {@code name}, or -1. */
    public int subgroupIndex(String name) {
        for (int i = 0; i < subgroups.size(); i++) {
            if (subgroups.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    public Profile profile(String name) {
        return profiles.get(name);
    }

    /** Every reserved node id and the subgroups that reserve it (sorted by id). */
    public Map<Integer, List<String>> reservations() {
        Map<Integer, List<String>> out = new TreeMap<>();
        for (SubgroupLayoutSpec sg : subgroups) {
            for (List<Integer> shard : sg.reservedNodeIds()) {
                for (int id : shard) {
                    out.computeIfAbsent(id, x -> new ArrayList<>()).add(sg.name());
                }
            }
        }
        return out;
    }

    /** The default allocator for this layout. */
    public LayoutAllocator allocator() {
        return new DefaultAllocator(this);
    }

    /** Reads a YAML or JSON file (by extension: .json is JSON, anything else YAML). */
    public static LayoutSpec load(Path file) {
        try {
            return parse(Files.readString(file), file.toString().endsWith(".json"));
        } catch (IOException e) {
            throw new ConfigException("cannot read layout " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses the text of a layout file: a mapping with a {@code layout} section (and optionally a
     * {@code profiles} section; other top-level keys are left to their own readers).
     */
    public static LayoutSpec parse(String text, boolean json) {
        return LayoutSpecReader.parse(text, json);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Programmatic construction of a layout. */
    public static final class Builder {
        private final Map<String, Profile> profiles = new LinkedHashMap<>();
        private final List<SubgroupLayoutSpec> subgroups = new ArrayList<>();
        private boolean disjoint;

        private Builder() {
        }

        public Builder profile(Profile p) {
            profiles.put(p.name(), p);
            return this;
        }

        /** A node serves at most one subgroup (default false: subgroups may share unreserved nodes). */
        public Builder disjoint(boolean value) {
            disjoint = value;
            return this;
        }

        public Builder subgroup(SubgroupLayoutSpec spec) {
            subgroups.add(spec);
            return this;
        }

        /** Adds a subgroup described by {@code shape} (defaults: 1 shard, 1 to unbounded members). */
        public Builder subgroup(String name, Consumer<SubgroupBuilder> shape) {
            SubgroupBuilder b = new SubgroupBuilder(name);
            shape.accept(b);
            subgroups.add(b.build());
            return this;
        }

        public LayoutSpec build() {
            return new LayoutSpec(profiles, subgroups, disjoint);
        }
    }

    /** The shape of one subgroup, for {@link Builder#subgroup(String, Consumer)}. */
    public static final class SubgroupBuilder {
        private final String name;
        private int shards = 1;
        private int min = 1;
        private int max = SubgroupLayoutSpec.UNBOUNDED;
        private final TreeMap<Integer, List<Integer>> reserved = new TreeMap<>();
        private SendersRule senders = SendersRule.all();
        private Mode mode = Mode.ORDERED;
        private String profile = Profile.DEFAULT;

        private SubgroupBuilder(String name) {
            this.name = name;
        }

        public SubgroupBuilder shards(int n) {
            shards = n;
            return this;
        }

        /** Members per shard: at least {@code minimum}, at most {@code maximum}. */
        public SubgroupBuilder members(int minimum, int maximum) {
            min = minimum;
            max = maximum;
            return this;
        }

        public SubgroupBuilder minMembers(int n) {
            min = n;
            return this;
        }

        public SubgroupBuilder maxMembers(int n) {
            max = n;
            return this;
        }

        /** Reserves {@code nodeIds} for shard {@code shard} (added to any earlier reservation). */
        public SubgroupBuilder reserve(int shard, Integer... nodeIds) {
            reserved.computeIfAbsent(shard, s -> new ArrayList<>()).addAll(List.of(nodeIds));
            return this;
        }

        public SubgroupBuilder senders(SendersRule rule) {
            senders = rule;
            return this;
        }

        public SubgroupBuilder mode(Mode m) {
            mode = m;
            return this;
        }

        public SubgroupBuilder profile(String name) {
            profile = name;
            return this;
        }

        SubgroupLayoutSpec build() {
            List<List<Integer>> lists = new ArrayList<>();
            if (!reserved.isEmpty()) {
                check(reserved.firstKey() >= 0, "layout.subgroups." + name + ".reservedNodeIds", reserved,
                        "shard " + reserved.firstKey() + " does not exist");
                int n = Math.max(shards, reserved.lastKey() + 1);
                for (int s = 0; s < n; s++) {
                    lists.add(reserved.getOrDefault(s, List.of()));
                }
            }
            return new SubgroupLayoutSpec(name, shards, min, max, lists, senders, mode, profile);
        }
    }
}
