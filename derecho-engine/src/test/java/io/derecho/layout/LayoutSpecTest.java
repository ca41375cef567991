package io.derecho.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.derecho.config.BlockScheduleKind;
import io.derecho.config.ConfigException;
import io.derecho.config.Mode;
import io.derecho.config.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayoutSpecTest {

    private static final String GOOD = """
            profiles:
              big: {window: 64, maxSmcPayload: 2048}
            layout:
              subgroups:
                - name: kv
                  shards: 2
                  minMembersPerShard: 2
                  maxMembersPerShard: 3
                  reservedNodeIds: [[1], [2]]
                  senders: {first: 2}
                  profile: big
                - name: log
                  minMembersPerShard: 1
                  senders: [4, 5]
                  mode: unordered
            """;

    private static Path resource(String name) throws Exception {
        return Path.of(LayoutSpecTest.class.getResource("/layout/" + name).toURI());
    }

    private static LayoutSpec yaml(String text) {
        return LayoutSpec.parse(text, false);
    }

    private static SubgroupLayoutSpec kv(int shards, int min, int max, List<List<Integer>> reserved, SendersRule senders) {
        return new SubgroupLayoutSpec("kv", shards, min, max, reserved, senders, Mode.ORDERED, Profile.DEFAULT);
    }

    @Test
    void loadsTheExampleYamlWithProfilesReservationsSendersAndDefaults() throws Exception {
        LayoutSpec spec = LayoutSpec.load(resource("example.yaml"));
        assertThat(spec.disjoint()).isFalse();
        assertThat(spec.profiles()).containsOnlyKeys("default", "bulk");
        assertThat(spec.profile("bulk").schedule()).isEqualTo(BlockScheduleKind.CHAIN);
        assertThat(spec.profile("bulk").largeWindow()).isEqualTo(Profile.defaults().largeWindow());
        SubgroupLayoutSpec kv = spec.subgroups().get(0);
        assertThat(kv).isEqualTo(new SubgroupLayoutSpec("kv", 2, 2, 3));
        SubgroupLayoutSpec log = spec.subgroup("log").orElseThrow();
        assertThat(log.shards()).isEqualTo(1);
        assertThat(log.reserved(0)).containsExactly(1, 2);
        assertThat(log.senders()).isEqualTo(SendersRule.firstN(1));
        assertThat(log.profile()).isEqualTo("bulk");
        SubgroupLayoutSpec metrics = spec.subgroups().get(2);
        assertThat(metrics.minMembersPerShard()).isEqualTo(1);
        assertThat(metrics.maxMembersPerShard()).isEqualTo(SubgroupLayoutSpec.UNBOUNDED);
        assertThat(metrics.senders()).isEqualTo(SendersRule.nodes(1, 7));
        assertThat(metrics.mode()).isEqualTo(Mode.UNORDERED);
        assertThat(spec.reservations()).containsEntry(1, List.of("log", "metrics")).containsEntry(2, List.of("log"));
        assertThat(spec.subgroupIndex("metrics")).isEqualTo(2);
    }

    @Test
    void jsonYamlAndBuilderDescribeTheSameLayout() throws Exception {
        LayoutSpec fromYaml = LayoutSpec.load(resource("example.yaml"));
        LayoutSpec fromJson = LayoutSpec.load(resource("example.json"));
        LayoutSpec built = LayoutSpec.builder()
                .profile(new Profile("bulk", 64, 2048, 64 << 20, 1 << 20, Profile.defaults().largeWindow(),
                        BlockScheduleKind.CHAIN))
                .subgroup("kv", s -> s.shards(2).members(2, 3))
                .subgroup("log", s -> s.members(3, 5).reserve(0, 1, 2).senders(SendersRule.firstN(1)).profile("bulk"))
                .subgroup("metrics", s -> s.reserve(0, 1).senders(SendersRule.nodes(1, 7)).mode(Mode.UNORDERED))
                .build();
        assertThat(fromJson).isEqualTo(fromYaml);
        assertThat(built).isEqualTo(fromYaml);
    }

    @Test
    void theExampleLayoutOnEightNodes() throws Exception {
        Allocation.Adequate a = (Allocation.Adequate) LayoutSpec.load(resource("example.yaml")).allocator()
                .allocate(List.of(1, 2, 3, 4, 5, 6, 7, 8), null);
        assertThat(a.shards()).extracting(Object::toString).containsExactly(
                "kv/0 members=[3, 4, 7] senders=[3, 4, 7] ORDERED profile=default",
                "kv/1 members=[5, 6, 8] senders=[5, 6, 8] ORDERED profile=default",
                "log/0 members=[1, 2, 3, 4, 5] senders=[1] ORDERED profile=bulk",
                "metrics/0 members=[1, 3, 4, 5, 6, 7, 8] senders=[1, 7] UNORDERED profile=default");
    }

    @Test
    void readsDisjointAndUnboundedAndTheBuiltInDefaults(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("l.yml"), """
                layout:
                  disjoint: true
                  subgroups:
                    - name: only
                """);
        LayoutSpec spec = LayoutSpec.load(file);
        assertThat(spec.disjoint()).isTrue();
        assertThat(spec.subgroups()).containsExactly(new SubgroupLayoutSpec("only", 1, 1, SubgroupLayoutSpec.UNBOUNDED));
        assertThat(spec.profiles()).containsExactly(java.util.Map.entry("default", Profile.defaults()));
    }

    @Test
    void otherTopLevelSectionsAreLeftToTheirReaders() {
        LayoutSpec spec = yaml("group: demo\nmembers: []\n" + GOOD);
        assertThat(spec.subgroups()).hasSize(2);
    }

    @Test
    void subgroupValuesAreCheckedNamingKeyAndValue() {
        assertThatThrownBy(() -> kv(2, 0, 3, null, null)).isInstanceOf(ConfigException.class)
                .hasMessage("invalid layout.subgroups.kv.minMembersPerShard = 0: must be at least 1");
        assertThatThrownBy(() -> kv(2, 3, 2, null, null))
                .hasMessage("invalid layout.subgroups.kv.maxMembersPerShard = 2: must be at least minMembersPerShard (3)");
        assertThatThrownBy(() -> kv(0, 1, 3, null, null))
                .hasMessage("invalid layout.subgroups.kv.shards = 0: must be at least 1");
        assertThatThrownBy(() -> new SubgroupLayoutSpec(" ", 1, 1, 1))
                .hasMessage("invalid layout.subgroups[].name =  : must be set");
        assertThatThrownBy(() -> kv(2, 1, 3, List.of(List.of(1)), null))
                .hasMessage("invalid layout.subgroups.kv.reservedNodeIds = [[1]]: needs one list per shard (shards = 2)");
        assertThatThrownBy(() -> kv(2, 1, 2, List.of(List.of(1, 2, 3), List.of()), null))
                .hasMessage("invalid layout.subgroups.kv.reservedNodeIds = [[1, 2, 3], []]: shard 0 reserves 3 nodes,"
                        + " more than maxMembersPerShard (2)");
        assertThatThrownBy(() -> kv(2, 1, 3, List.of(List.of(), List.of(-1)), null))
                .hasMessage("invalid layout.subgroups.kv.reservedNodeIds = [[], [-1]]: node ids must be non-negative");
        assertThatThrownBy(() -> kv(2, 1, 3, List.of(List.of(1, 1), List.of()), null))
                .hasMessage("invalid layout.subgroups.kv.reservedNodeIds = [[1, 1], []]: shard 0 lists node 1 twice");
        assertThatThrownBy(() -> kv(2, 1, 3, List.of(List.of(1), List.of(1)), null))
                .hasMessage("invalid layout.subgroups.kv.reservedNodeIds = [[1], [1]]: node 1 is reserved in shards"
                        + " 0 and 1; a node can be in only one shard of a subgroup");
        assertThatThrownBy(() -> kv(1, 1, 3, null, SendersRule.firstN(0)))
                .hasMessage("invalid layout.subgroups.kv.senders = {first: 0}: the first n must be at least 1");
        assertThatThrownBy(() -> kv(1, 1, 3, null, SendersRule.nodes()))
                .hasMessage("invalid layout.subgroups.kv.senders = []: must list at least one node id");
        assertThatThrownBy(() -> kv(1, 1, 3, null, SendersRule.nodes(3, -2)))
                .hasMessage("invalid layout.subgroups.kv.senders = [3, -2]: node ids must be non-negative");
        assertThatThrownBy(() -> kv(1, 1, 3, null, SendersRule.nodes(3, 3)))
                .hasMessage("invalid layout.subgroups.kv.senders = [3, 3]: lists node 3 twice");
        assertThatThrownBy(() -> new SubgroupLayoutSpec("kv", 1, 1, 1, null, null, null, ""))
                .hasMessage("invalid layout.subgroups.kv.profile = : must name a profile");
    }

    @Test
    void layoutValuesAreCheckedNamingKeyAndValue() {
        assertThatThrownBy(() -> LayoutSpec.builder().build())
                .hasMessage("invalid layout.subgroups = []: a layout needs at least one subgroup");
        assertThatThrownBy(() -> LayoutSpec.builder().subgroup("kv", s -> { }).subgroup("kv", s -> { }).build())
                .hasMessage("invalid layout.subgroups[].name = kv: duplicate subgroup name");
        assertThatThrownBy(() -> yaml(GOOD.replace("profile: big", "profile: huge")))
                .hasMessage("invalid layout.subgroups.kv.profile = huge: no such profile; known: [default, big]");
        assertThatThrownBy(() -> LayoutSpec.builder().disjoint(true)
                .subgroup("a", s -> s.reserve(0, 1)).subgroup("b", s -> s.reserve(0, 1)).build())
                .hasMessage("invalid layout.subgroups.b.reservedNodeIds = [[1]]: node 1 is also reserved in subgroup a,"
                        + " but layout.disjoint is true");
        assertThatThrownBy(() -> new LayoutSpec(java.util.Map.of("big", Profile.defaults().withName("other")),
                List.of(new SubgroupLayoutSpec("kv", 1, 1, 1)), false))
                .hasMessage("invalid profiles.big.name = other: must match the profile's key");
        assertThatThrownBy(() -> LayoutSpec.builder().subgroup("kv", s -> s.shards(2).reserve(2, 7)).build())
                .hasMessage("invalid layout.subgroups.kv.reservedNodeIds = [[], [], [7]]: needs one list per shard"
                        + " (shards = 2)");
        assertThatThrownBy(() -> LayoutSpec.builder().subgroup("kv", s -> s.reserve(-1, 7)).build())
                .hasMessage("invalid layout.subgroups.kv.reservedNodeIds = {-1=[7]}: shard -1 does not exist");
    }

    @Test
    void fileErrorsNameKeyAndValue(@TempDir Path dir) {
        assertThatThrownBy(() -> yaml(GOOD.replace("minMembersPerShard: 2", "minMembersPerShard: 0")))
                .hasMessage("invalid layout.subgroups.kv.minMembersPerShard = 0: must be at least 1");
        assertThatThrownBy(() -> yaml(GOOD.replace("maxMembersPerShard: 3", "maxMembersPerShard: 1")))
                .hasMessage("invalid layout.subgroups.kv.maxMembersPerShard = 1: must be at least minMembersPerShard (2)");
        assertThatThrownBy(() -> yaml(GOOD.replace("shards: 2", "shards: two")))
                .hasMessage("invalid layout.subgroups.kv.shards = \"two\": must be an integer");
        assertThatThrownBy(() -> yaml(GOOD.replace("maxMembersPerShard: 3", "maxMembersPerShard: 3.5")))
                .hasMessage("invalid layout.subgroups.kv.maxMembersPerShard = 3.5: must be an integer");
        assertThatThrownBy(() -> yaml(GOOD.replace("maxMembersPerShard: 3", "maxMembersPerShard: lots")))
                .hasMessage("invalid layout.subgroups.kv.maxMembersPerShard = \"lots\": must be an integer or unbounded");
        assertThatThrownBy(() -> yaml(GOOD.replace("mode: unordered", "mode: sideways")))
                .hasMessage("invalid layout.subgroups.log.mode = sideways: must be one of [ORDERED, UNORDERED]");
        assertThatThrownBy(() -> yaml(GOOD.replace("senders: [4, 5]", "senders: some")))
                .hasMessage("invalid layout.subgroups.log.senders = \"some\": must be all, {first: n} or a list of node ids");
        assertThatThrownBy(() -> yaml(GOOD.replace("senders: {first: 2}", "senders: {first: x}")))
                .hasMessage("invalid layout.subgroups.kv.senders = {\"first\":\"x\"}: must be all, {first: n} or a list"
                        + " of node ids");
        assertThatThrownBy(() -> yaml(GOOD.replace("senders: [4, 5]", "senders: [4, x]")))
                .hasMessage("invalid layout.subgroups.log.senders = [4,\"x\"]: node ids must be integers");
        assertThatThrownBy(() -> yaml(GOOD.replace("reservedNodeIds: [[1], [2]]", "reservedNodeIds: [1, 2]")))
                .hasMessage("invalid layout.subgroups.kv.reservedNodeIds = [1,2]: must be a list with a list of node"
                        + " ids per shard");
        assertThatThrownBy(() -> yaml(GOOD.replace("reservedNodeIds: [[1], [2]]", "reservedNodeIds: [[1], [1]]")))
                .hasMessage("invalid layout.subgroups.kv.reservedNodeIds = [[1], [1]]: node 1 is reserved in shards"
                        + " 0 and 1; a node can be in only one shard of a subgroup");
        assertThatThrownBy(() -> yaml(GOOD.replace("minMembersPerShard: 1", "minMembers: 1")))
                .hasMessage("unknown key layout.subgroups.log.minMembers: expected one of [maxMembersPerShard,"
                        + " minMembersPerShard, mode, name, profile, reservedNodeIds, senders, shards]");
        assertThatThrownBy(() -> yaml(GOOD.replace("layout:\n", "layout:\n  disjount: true\n")))
                .hasMessage("unknown key layout.disjount: expected one of [disjoint, subgroups]");
        assertThatThrownBy(() -> yaml(GOOD.replace("layout:\n", "layout:\n  disjoint: maybe\n")))
                .hasMessage("invalid layout.disjoint = \"maybe\": must be true or false");
        assertThatThrownBy(() -> yaml(GOOD.replace("window: 64", "window: 0")))
                .hasMessage("invalid profiles.big.window = 0: must be between 1 and 65536");
        assertThatThrownBy(() -> yaml(GOOD.replace("window: 64", "windo: 64")))
                .hasMessage("unknown key profiles.big.windo: expected one of [blockSize, largeWindow, maxPayload,"
                        + " maxSmcPayload, schedule, window]");
        assertThatThrownBy(() -> yaml("profiles: {}\n"))
                .hasMessage("a layout file must be a mapping with a layout section (and optionally profiles)");
        assertThatThrownBy(() -> yaml("layout: [1]\n"))
                .hasMessage("invalid layout = [1]: must be a mapping with keys [disjoint, subgroups]");
        assertThatThrownBy(() -> yaml("layout: {disjoint: true}\n"))
                .hasMessage("missing or invalid layout.subgroups: expected a list");
        assertThatThrownBy(() -> yaml("layout: {subgroups: [kv]}\n"))
                .hasMessage("invalid layout.subgroups[] = \"kv\": each subgroup must be a mapping");
        assertThatThrownBy(() -> yaml("layout: {subgroups: [{shards: 2}]}\n"))
                .hasMessage("invalid layout.subgroups[].name = null: must be set");
        assertThatThrownBy(() -> yaml("layout: {subgroups: [\n"))
                .hasMessageStartingWith("layout is not valid YAML: ");
        assertThatThrownBy(() -> LayoutSpec.parse("{\"layout\": ", true))
                .hasMessageStartingWith("layout is not valid JSON: ");
        assertThatThrownBy(() -> LayoutSpec.load(dir.resolve("missing.yaml")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("cannot read layout ");
    }
}
