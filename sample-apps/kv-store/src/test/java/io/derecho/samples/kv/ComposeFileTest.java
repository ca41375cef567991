package io.derecho.samples.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Checks {@code compose/compose.yaml} without a container engine: it must parse as YAML, follow the
 * parts of the Compose Specification it uses, and describe the cluster of the application's own
 * {@code application.yml} (six nodes, ids 0..5 once each, the same members everywhere with the
 * service names as hosts, the same shards). The negative tests feed the checker broken variants so
 * that each check is seen to fail.
 *
 * <p>The parser does not expand YAML aliases (it reads {@code *name} as the string "name"), so the
 * compose file spells out every service; a file with aliases fails here with a type error.
 */
class ComposeFileTest {
    /** Duplicate keys are an error in Compose; Jackson would otherwise keep the last one. */
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final Set<String> TOP_LEVEL = Set.of("services", "networks", "volumes", "configs", "secrets",
            "name", "include");
    /** [IP:]HOST:CONTAINER[/PROTOCOL], each port a number or a range; or CONTAINER alone. */
    private static final Pattern SHORT_PORT = Pattern.compile(
            "(?:(?:\\d{1,3}(?:\\.\\d{1,3}){3}|\\[[0-9a-fA-F:]+]):)?(?:(\\d+(?:-\\d+)?):)?(\\d+(?:-\\d+)?)(?:/(tcp|udp))?");
    /** Compose durations: {@code 1m30s}, {@code 5s}, {@code 250ms}, {@code 1h}. */
    private static final Pattern DURATION = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:h|m|s|ms|us|ns))+");
    private static final Set<String> DURATION_KEYS = Set.of("interval", "timeout", "start_period", "start_interval");
    /** {@code ${NAME:-default}}, {@code ${NAME-default}} or {@code ${NAME}}: the default is taken. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::?-([^}]*))?}");
    private static final Pattern MEMBER_KEY = Pattern.compile("DERECHO_MEMBERS_(\\d+)_(ID|HOST|PORT)");
    private static final Pattern SHARD_KEY = Pattern.compile("DERECHO_SUBGROUPS_0_SHARDS_(\\d+)_MEMBERS");

    @Test
    void composeFileFollowsTheSpecificationAndDescribesTheApplicationsCluster() throws IOException {
        assertThat(problems(Files.readString(composeFile()), application())).isEmpty();
    }

    @Test
    void composeFileHasSixNodesWithHttpOnTheApplicationsPortPublishedOn8080To8085() throws IOException {
        JsonNode services = YAML.readTree(Files.readString(composeFile())).get("services");
        String serverPort = application().at("/server/port").asString();
        assertThat(services.propertyNames()).containsExactlyInAnyOrder("kv0", "kv1", "kv2", "kv3", "kv4", "kv5");
        List<Integer> published = new ArrayList<>();
        for (JsonNode service : services) {
            published.addAll(hostPorts(service.path("ports")));
            assertThat(strings(service.path("ports"))).singleElement().asString().endsWith(":" + serverPort);
        }
        assertThat(published).containsExactlyInAnyOrder(8080, 8081, 8082, 8083, 8084, 8085);
    }

    @Test
    void checkerRejectsUnparsableYamlAndDuplicateKeys() throws IOException {
        String text = Files.readString(composeFile());
        assertThat(problems(text + "\nx-broken: [1, 2\n", application()))
                .singleElement().asString().startsWith("not valid YAML").contains("x-broken");
        assertThat(problems(text + "\nname: twice\n", application()))
                .singleElement().asString().startsWith("not valid YAML").contains("name");
    }

    @Test
    void checkerRejectsADuplicateNodeId() throws IOException {
        assertThat(problemsOfVariant(compose -> env(compose, "kv5").put("DERECHO_NODE_ID", "4")))
                .anySatisfy(p -> assertThat(p).isEqualTo("node id 4 is set by both kv4 and kv5"))
                .anySatisfy(p -> assertThat(p).isEqualTo("node id 5 is set by no service"));
    }

    @Test
    void checkerRejectsADependencyOnAMissingService() throws IOException {
        assertThat(problemsOfVariant(compose -> ((ObjectNode) compose.at("/services/kv0"))
                .putArray("depends_on").add("kv1").add("kv9")))
                .containsExactly("services.kv0.depends_on names 'kv9', which is not a service");
    }

    @Test
    void checkerRejectsWhatTheSpecificationDoesNotAllow() throws IOException {
        assertThat(problemsOfVariant(compose -> {
            compose.put("version", "3.9");
            ObjectNode kv1 = (ObjectNode) compose.at("/services/kv1");
            kv1.remove("build");
            kv1.putArray("ports").add("80:http");
            ((ObjectNode) kv1.get("healthcheck")).put("interval", "5 seconds");
            ((ObjectNode) kv1.get("healthcheck")).putArray("test").add("RUN").add("true");
            kv1.putArray("environment").add("DERECHO_NODE_ID");
        })).containsExactlyInAnyOrder(
                "top-level key 'version' is obsolete (and ignored by Compose): remove it",
                "services.kv1 has neither build nor image",
                "services.kv1.ports: '80:http' is not HOST:CONTAINER",
                "services.kv1.environment: 'DERECHO_NODE_ID' is not KEY=VALUE",
                "services.kv1.healthcheck.test must start with NONE, CMD or CMD-SHELL",
                "services.kv1.healthcheck.interval: '5 seconds' is not a duration like 5s or 1m30s");
    }

    @Test
    void checkerRejectsServicesThatDisagreeAboutTheCluster() throws IOException {
        assertThat(problemsOfVariant(compose -> {
            env(compose, "kv2").put("DERECHO_MEMBERS_3_HOST", "kv33");
            env(compose, "kv2").put("DERECHO_MEMBERS_3_PORT", "7101");
            env(compose, "kv2").put("DERECHO_SUBGROUPS_0_SHARDS_1_MEMBERS", "3,4");
            env(compose, "kv4").put("DERECHO_JOIN", "true");
            ((ArrayNode) compose.at("/services/kv3/ports")).set(0, "8080:8080");
        })).containsExactlyInAnyOrder(
                "services.kv2 has member 3 host kv33, kv0 has kv3",
                "services.kv2 has member 3 port 7101, kv0 has 7100",
                "services.kv2 has shard 1 [3, 4], application.yml has [3, 4, 5]",
                "host port 8080 is published by both kv0 and kv3",
                "services.kv4 joins by default (DERECHO_JOIN): an initial member must form view 0");
    }

    /** The problems of the compose file changed by {@code change}. */
    private static List<String> problemsOfVariant(Consumer<ObjectNode> change) throws IOException {
        ObjectNode compose = (ObjectNode) YAML.readTree(Files.readString(composeFile()));
        change.accept(compose);
        return problems(YAML.writeValueAsString(compose), application());
    }

    private static ObjectNode env(ObjectNode compose, String service) {
        return (ObjectNode) compose.at("/services/" + service + "/environment");
    }

    /** Every problem found in a compose file's text: YAML syntax, the Compose rules used here, the cluster. */
    private static List<String> problems(String composeText, JsonNode application) {
        JsonNode compose;
        try {
            compose = YAML.readTree(composeText);
        } catch (RuntimeException e) {
            return List.of("not valid YAML: " + e.getMessage());
        }
        if (!compose.isObject()) {
            return List.of("the file is not a map of top-level keys");
        }
        List<String> problems = new ArrayList<>(specificationProblems(compose));
        if (problems.isEmpty()) {
            problems.addAll(clusterProblems(compose, application));
        }
        return problems;
    }

    /** The Compose Specification rules that matter for this file. */
    private static List<String> specificationProblems(JsonNode compose) {
        List<String> problems = new ArrayList<>();
        for (String key : compose.propertyNames()) {
            if (key.equals("version")) {
                problems.add("top-level key 'version' is obsolete (and ignored by Compose): remove it");
            } else if (!TOP_LEVEL.contains(key) && !key.startsWith("x-")) {
                problems.add("unknown top-level key '" + key + "'");
            }
        }
        JsonNode services = compose.path("services");
        if (!services.isObject() || services.isEmpty()) {
            problems.add("services must be a non-empty map");
            return problems;
        }
        for (Map.Entry<String, JsonNode> e : services.properties()) {
            String at = "services." + e.getKey();
            JsonNode s = e.getValue();
            if (!s.isObject()) {
                problems.add(at + " must be a map");
                continue;
            }
            if (!s.has("build") && !s.has("image")) {
                problems.add(at + " has neither build nor image");
            }
            for (JsonNode port : s.path("ports")) {
                String p = port.isString() ? port.asString() : null;
                if (port.isObject()) {
                    if (!port.path("target").canConvertToExactIntegral()
                            || port.has("published") && !port.get("published").asString().matches("\\d+(-\\d+)?")) {
                        problems.add(at + ".ports: " + port + " needs a numeric target (and published)");
                    }
                } else if (p == null || !SHORT_PORT.matcher(p).matches()) {
                    problems.add(at + ".ports: '" + port.asString() + "' is not HOST:CONTAINER");
                }
            }
            if (s.has("environment")) {
                environment(s, at, problems);
            }
            JsonNode dependsOn = s.path("depends_on");
            for (String dependency : dependsOn.isArray() ? strings(dependsOn) : dependsOn.propertyNames()) {
                if (!services.has(dependency)) {
                    problems.add(at + ".depends_on names '" + dependency + "', which is not a service");
                }
            }
            JsonNode health = s.path("healthcheck");
            JsonNode test = health.path("test");
            if (test.isArray() && (test.isEmpty() || !Set.of("NONE", "CMD", "CMD-SHELL").contains(test.get(0).asString()))) {
                problems.add(at + ".healthcheck.test must start with NONE, CMD or CMD-SHELL");
            } else if (!test.isMissingNode() && !test.isArray() && !test.isString()) {
                problems.add(at + ".healthcheck.test must be a list or a string");
            }
            for (String key : DURATION_KEYS) {
                duration(health.path(key), at + ".healthcheck." + key, problems);
            }
            duration(s.path("stop_grace_period"), at + ".stop_grace_period", problems);
        }
        return problems;
    }

    /** The cluster the services describe, against the application's own configuration. */
    private static List<String> clusterProblems(JsonNode compose, JsonNode application) {
        List<String> problems = new ArrayList<>();
        JsonNode services = compose.get("services");
        Map<String, String> firstMembers = null;
        String firstService = null;
        Map<Integer, String> serviceOfId = new TreeMap<>();
        Map<Integer, String> serviceOfHostPort = new TreeMap<>();
        List<List<Integer>> appShards = new ArrayList<>();
        for (JsonNode shard : application.at("/derecho/subgroups/0/shards")) {
            appShards.add(strings(shard.get("members")).stream().map(Integer::valueOf).toList());
        }
        int appMembers = application.at("/derecho/members").size();
        if (services.size() != appMembers) {
            problems.add(services.size() + " services, but application.yml has " + appMembers + " members");
        }
        for (Map.Entry<String, JsonNode> e : services.properties()) {
            String at = "services." + e.getKey();
            Map<String, String> env = environment(e.getValue(), at, problems);
            String id = env.get("DERECHO_NODE_ID");
            if (id == null || !id.matches("\\d+")) {
                problems.add(at + " sets no numeric DERECHO_NODE_ID");
            } else {
                String other = serviceOfId.putIfAbsent(Integer.parseInt(id), e.getKey());
                if (other != null) {
                    problems.add("node id " + id + " is set by both " + other + " and " + e.getKey());
                }
            }
            if (!"false".equals(env.getOrDefault("DERECHO_JOIN", "false"))) {
                problems.add(at + " joins by default (DERECHO_JOIN): an initial member must form view 0");
            }
            Map<String, String> members = new TreeMap<>();
            env.forEach((k, v) -> {
                if (MEMBER_KEY.matcher(k).matches()) {
                    members.put(k, v);
                }
            });
            if (firstMembers == null) {
                firstMembers = members;
                firstService = e.getKey();
            } else {
                for (String k : union(firstMembers.keySet(), members.keySet())) {
                    Matcher m = MEMBER_KEY.matcher(k);
                    if (m.matches() && !String.valueOf(firstMembers.get(k)).equals(String.valueOf(members.get(k)))) {
                        problems.add(at + " has member " + m.group(1) + " " + m.group(2).toLowerCase() + " "
                                + members.get(k) + ", " + firstService + " has " + firstMembers.get(k));
                    }
                }
            }
            for (Map.Entry<String, String> shard : env.entrySet()) {
                Matcher m = SHARD_KEY.matcher(shard.getKey());
                if (m.matches()) {
                    int s = Integer.parseInt(m.group(1));
                    List<Integer> set = List.of(shard.getValue().split("\\s*,\\s*")).stream().map(Integer::valueOf).toList();
                    if (s >= appShards.size() || !appShards.get(s).equals(set)) {
                        problems.add(at + " has shard " + s + " " + set + ", application.yml has "
                                + (s < appShards.size() ? appShards.get(s) : "no such shard"));
                    }
                }
            }
            for (int hostPort : hostPorts(e.getValue().path("ports"))) {
                String other = serviceOfHostPort.putIfAbsent(hostPort, e.getKey());
                if (other != null) {
                    problems.add("host port " + hostPort + " is published by both " + other + " and " + e.getKey());
                }
            }
        }
        for (int id = 0; id < appMembers; id++) {
            if (!serviceOfId.containsKey(id)) {
                problems.add("node id " + id + " is set by no service");
            }
        }
        if (firstMembers != null) {
            Set<String> groupPorts = new TreeSet<>();
            for (int i = 0; i < appMembers; i++) {
                String id = firstMembers.getOrDefault("DERECHO_MEMBERS_" + i + "_ID", "unset");
                String host = firstMembers.getOrDefault("DERECHO_MEMBERS_" + i + "_HOST", "unset");
                groupPorts.add(firstMembers.getOrDefault("DERECHO_MEMBERS_" + i + "_PORT", "unset"));
                if (!id.matches("\\d+") || !host.equals(serviceOfId.get(Integer.parseInt(id)))) {
                    problems.add("member " + i + " (id " + id + ") has host " + host
                            + ", not the service whose node id it is");
                }
            }
            if (groupPorts.size() != 1 || !groupPorts.iterator().next().matches("\\d+")) {
                problems.add("the members do not share one numeric group port: " + groupPorts);
            }
        }
        return problems;
    }

    /** A service's environment as a map (from a map or a list of KEY=VALUE), with ${VAR:-default} resolved. */
    private static Map<String, String> environment(JsonNode service, String at, List<String> problems) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode node = service.path("environment");
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (e.getValue().isContainer()) {
                    problems.add(at + ".environment." + e.getKey() + " must be a string, number, boolean or null");
                } else {
                    env.put(e.getKey(), interpolate(e.getValue().asString()));
                }
            }
        } else if (node.isArray()) {
            for (String entry : strings(node)) {
                int eq = entry.indexOf('=');
                if (eq <= 0) {
                    problems.add(at + ".environment: '" + entry + "' is not KEY=VALUE");
                } else {
                    env.put(entry.substring(0, eq), interpolate(entry.substring(eq + 1)));
                }
            }
        } else if (!node.isMissingNode()) {
            problems.add(at + ".environment must be a map or a list of KEY=VALUE");
        }
        return env;
    }

    /** What Compose makes of a value when no variable is set: each ${NAME:-default} becomes its default. */
    private static String interpolate(String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(2) == null ? "" : m.group(2)));
        }
        return m.appendTail(out).toString().replace("$$", "$");
    }

    private static void duration(JsonNode value, String at, List<String> problems) {
        if (!value.isMissingNode() && !DURATION.matcher(value.asString()).matches()) {
            problems.add(at + ": '" + value.asString() + "' is not a duration like 5s or 1m30s");
        }
    }

    /** The published host ports of a service's (well-formed) ports entries. */
    private static List<Integer> hostPorts(JsonNode ports) {
        List<Integer> out = new ArrayList<>();
        for (JsonNode port : ports) {
            String published = null;
            if (port.isObject()) {
                published = port.path("published").asString(null);
            } else {
                Matcher m = SHORT_PORT.matcher(port.asString());
                published = m.matches() ? m.group(1) : null;
            }
            if (published != null && published.matches("\\d+")) {
                out.add(Integer.parseInt(published));
            }
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private static JsonNode application() throws IOException {
        return YAML.readTree(Files.readString(repositoryRoot().resolve(
                "sample-apps/kv-store/src/main/resources/application.yml")));
    }

    private static Path composeFile() {
        return repositoryRoot().resolve("compose/compose.yaml");
    }

    /** The nearest directory above the working directory that has compose/compose.yaml and mvnw. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("compose/compose.yaml")) && Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no compose/compose.yaml above " + Path.of("").toAbsolutePath());
    }
}
