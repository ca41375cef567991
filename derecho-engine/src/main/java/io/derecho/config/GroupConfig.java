package io.derecho.config;

import static io.derecho.config.ConfigException.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A group: its name, its initial members (view 0, and the contacts of joiners), the settings
 * profiles and the static subgroups with their shards (empty when a dynamic layout places the
 * shards instead). Validated once, at construction; every error names the key.
 */
public record GroupConfig(String groupName, List<MemberSpec> members, Map<String, Profile> profiles,
                          List<SubgroupSpec> subgroups) {

    public GroupConfig {
        check(groupName != null && !groupName.isBlank(), "group", groupName, "a group needs a name");
        members = List.copyOf(members);
        subgroups = List.copyOf(subgroups);
        Map<String, Profile> withDefault = new LinkedHashMap<>();
        withDefault.put(Profile.DEFAULT, Profile.defaults());
        withDefault.putAll(profiles);
        profiles = Map.copyOf(withDefault);
        validate(members, profiles, subgroups);
    }

    private static void validate(List<MemberSpec> members, Map<String, Profile> profiles,
                                 List<SubgroupSpec> subgroups) {
        check(!members.isEmpty(), "members", members, "a group needs at least one member");
        Set<Integer> ids = new HashSet<>();
        Set<String> endpoints = new HashSet<>();
        for (MemberSpec m : members) {
            check(ids.add(m.id()), "members[].id", m.id(), "duplicate node id");
            check(endpoints.add(m.host() + ":" + m.port()), "members[id=" + m.id() + "].port",
                    m.host() + ":" + m.port(), "another member already listens there");
        }
        Set<String> names = new HashSet<>();
        for (SubgroupSpec sg : subgroups) {
            check(sg.name() != null && !sg.name().isBlank(), "subgroups[].name", sg.name(), "must be set");
            check(names.add(sg.name()), "subgroups[].name", sg.name(), "duplicate subgroup name");
            check(!sg.shards().isEmpty(), "subgroups." + sg.name() + ".shards", sg.shards(), "needs at least one shard");
            for (int s = 0; s < sg.shards().size(); s++) {
                ShardSpec sh = sg.shards().get(s);
                String key = "subgroups." + sg.name() + ".shards[" + s + "]";
                check(!sh.members().isEmpty(), key + ".members", sh.members(), "a shard needs at least one member");
                check(new HashSet<>(sh.members()).size() == sh.members().size(), key + ".members", sh.members(),
                        "lists a node twice");
                for (int id : sh.members()) {
                    check(ids.contains(id), key + ".members", sh.members(), "node " + id + " is not a group member");
                }
                for (int id : sh.senders()) {
                    check(sh.members().contains(id), key + ".senders", sh.senders(),
                            "node " + id + " is not a member of the shard");
                }
                check(profiles.containsKey(sh.profile()), key + ".profile", sh.profile(),
                        "no such profile; known: " + profiles.keySet());
            }
        }
    }

    public Optional<MemberSpec> member(int id) {
        return members.stream().filter(m -> m.id() == id).findFirst();
    }

    public Profile profile(String name) {
        return profiles.get(name);
    }

    /** Reads a YAML or JSON file (by extension: .json is JSON, anything else YAML). */
    public static GroupConfig load(Path file) {
        try {
            return GroupConfigReader.parse(Files.readString(file), file.toString().endsWith(".json"));
        } catch (IOException e) {
            throw new ConfigException("cannot read group configuration " + file + ": " + e.getMessage(), e);
        }
    }

    public static Builder builder(String groupName) {
        return new Builder(groupName);
    }

    /** Programmatic construction of a static group configuration. */
    public static final class Builder {
        private final String groupName;
        private final List<MemberSpec> members = new ArrayList<>();
        private final Map<String, Profile> profiles = new LinkedHashMap<>();
        private final List<SubgroupSpec> subgroups = new ArrayList<>();

        private Builder(String groupName) {
            this.groupName = groupName;
        }

        public Builder member(int id, String host, int port) {
            members.add(new MemberSpec(id, host, port));
            return this;
        }

        public Builder profile(Profile p) {
            profiles.put(p.name(), p);
            return this;
        }

        public Builder subgroup(String name, ShardSpec... shards) {
            subgroups.add(new SubgroupSpec(name, List.of(shards)));
            return this;
        }

        public GroupConfig build() {
            return new GroupConfig(groupName, members, profiles, subgroups);
        }
    }
}
