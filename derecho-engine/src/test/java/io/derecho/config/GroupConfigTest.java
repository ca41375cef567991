package io.derecho.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupConfigTest {

    private static final String GOOD = """
            group: demo
            members:
              - {id: 1, host: 127.0.0.1, port: 7001}
              - {id: 2, host: 127.0.0.1, port: 7002}
              - {id: 3, host: 127.0.0.1, port: 7003}
            profiles:
              big: {window: 64, maxSmcPayload: 2048, maxPayload: 10485760, blockSize: 1048576, schedule: chain}
            subgroups:
              - name: kv
                shards:
                  - members: [1, 2, 3]
                    senders: [1, 3]
                    profile: big
                  - members: [2, 3]
                    mode: unordered
            """;

    @Test
    void loadsYamlWithProfilesShardsAndDefaults(@TempDir Path dir) throws Exception {
        GroupConfig c = GroupConfig.load(Files.writeString(dir.resolve("g.yaml"), GOOD));
        assertThat(c.groupName()).isEqualTo("demo");
        assertThat(c.members()).hasSize(3);
        Profile big = c.profile("big");
        assertThat(big.window()).isEqualTo(64);
        assertThat(big.schedule()).isEqualTo(BlockScheduleKind.CHAIN);
        assertThat(big.largeWindow()).isEqualTo(Profile.defaults().largeWindow());
        ShardSpec s0 = c.subgroups().get(0).shards().get(0);
        assertThat(s0.effectiveSenders()).containsExactly(1, 3);
        ShardSpec s1 = c.subgroups().get(0).shards().get(1);
        assertThat(s1.mode()).isEqualTo(Mode.UNORDERED);
        assertThat(s1.profile()).isEqualTo(Profile.DEFAULT);
        assertThat(s1.effectiveSenders()).containsExactly(2, 3);
    }

    @Test
    void loadsTheSameFromJson(@TempDir Path dir) throws Exception {
        String json = """
                {"group": "demo", "members": [{"id": 1, "port": 7001}, {"id": 2, "port": 7002}],
                 "subgroups": [{"name": "a", "shards": [{"members": [1, 2]}]}]}
                """;
        GroupConfig c = GroupConfig.load(Files.writeString(dir.resolve("g.json"), json));
        assertThat(c.members().get(0).host()).isEqualTo("127.0.0.1");
        assertThat(c.subgroups().get(0).shards().get(0).effectiveSenders()).containsExactly(1, 2);
    }

    @Test
    void duplicateNodeIdIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> GroupConfig.builder("g").member(1, "127.0.0.1", 1).member(1, "127.0.0.1", 2)
                .subgroup("a", new ShardSpec(java.util.List.of(1), null, null, null)).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid members[].id = 1: duplicate node id");
    }

    @Test
    void badValuesNameKeyAndValue(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> GroupConfig.load(Files.writeString(dir.resolve("a.yaml"),
                GOOD.replace("members: [2, 3]", "members: [2, 9]"))))
                .hasMessage("invalid subgroups.kv.shards[1].members = [2, 9]: node 9 is not a group member");
        assertThatThrownBy(() -> GroupConfig.load(Files.writeString(dir.resolve("b.yaml"),
                GOOD.replace("window: 64", "window: 0"))))
                .hasMessage("invalid profiles.big.window = 0: must be between 1 and 65536");
        assertThatThrownBy(() -> GroupConfig.load(Files.writeString(dir.resolve("c.yaml"),
                GOOD.replace("senders: [1, 3]", "senders: [1, 4]"))))
                .hasMessage("invalid subgroups.kv.shards[0].senders = [1, 4]: node 4 is not a member of the shard");
        assertThatThrownBy(() -> GroupConfig.load(Files.writeString(dir.resolve("d.yaml"),
                GOOD.replace("profile: big", "profile: huge"))))
                .hasMessageStartingWith("invalid subgroups.kv.shards[0].profile = huge: no such profile");
        assertThatThrownBy(() -> GroupConfig.load(Files.writeString(dir.resolve("e.yaml"),
                GOOD.replace("mode: unordered", "mode: sideways"))))
                .hasMessage("invalid subgroups.kv.shards[1].mode = sideways: must be one of [ORDERED, UNORDERED]");
        assertThatThrownBy(() -> GroupConfig.load(Files.writeString(dir.resolve("f.yaml"),
                GOOD.replace("port: 7002", "port: seven"))))
                .hasMessage("invalid members[].port = \"seven\": must be an integer");
        assertThatThrownBy(() -> GroupConfig.load(Files.writeString(dir.resolve("g.yaml"), "group: [unclosed")))
                .hasMessageStartingWith("group configuration is not valid YAML");
    }
}
