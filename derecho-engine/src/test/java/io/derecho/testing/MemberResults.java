package io.derecho.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The files of a {@link FaultMemberMain} run: the group YAML, each member's result file and
 * markers, and reading them back for assertions.
 */
public final class MemberResults {
    private MemberResults() {
    }

    /** Writes {@code group.yaml}: member {@code i} at {@code hosts[i]:ports[i]}, one subgroup with one shard of everyone. */
    public static Path writeGroup(Path dir, String name, String[] hosts, int[] ports) throws IOException {
        StringBuilder yaml = new StringBuilder("group: " + name + "\nmembers:\n");
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < hosts.length; i++) {
            yaml.append("  - {id: ").append(i).append(", host: ").append(hosts[i]).append(", port: ").append(ports[i]).append("}\n");
            ids.append(i == 0 ? "" : ", ").append(i);
        }
        yaml.append("subgroups:\n  - name: all\n    shards:\n      - members: [").append(ids).append("]\n");
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("group.yaml"), yaml);
    }

    public static Path result(Path dir, int id) {
        return dir.resolve("result-" + id);
    }

    /** A marker next to member {@code id}'s result: {@code .started}, {@code .view-<id>}, {@code .mark}. */
    public static Path marker(Path dir, int id, String suffix) {
        return dir.resolve("result-" + id + suffix);
    }

    /** True when every listed member still runs; fails with its log when one has exited. */
    public static boolean allAlive(ProcessCluster cluster, List<Integer> ids) {
        for (int id : ids) {
            assertThat(cluster.process(id).isAlive()).as("member %d exited; log:%n%s", id, cluster.log(id)).isTrue();
        }
        return true;
    }

    /** Writes the file {@code go} that {@link FaultMemberMain}s wait for once every listed member is ready. */
    public static boolean goWhenReady(ProcessCluster cluster, Path dir, List<Integer> ids) throws IOException {
        allAlive(cluster, ids);
        if (!ids.stream().allMatch(id -> Files.exists(marker(dir, id, ".ready")))) {
            return false;
        }
        Files.writeString(dir.resolve("go"), "go\n");
        return true;
    }

    /**
     * True when every listed member has written {@code .started}; fails when one has exited or
     * already finished (it stopped before the test did anything to it).
     */
    public static boolean allStarted(ProcessCluster cluster, Path dir, List<Integer> ids) throws IOException {
        allAlive(cluster, ids);
        for (int id : ids) {
            if (Files.exists(result(dir, id))) {
                throw new AssertionError("member " + id + " finished before any fault was injected: " + read(dir, id)
                        + "\nlog:\n" + cluster.log(id));
            }
        }
        return ids.stream().allMatch(id -> Files.exists(marker(dir, id, ".started")));
    }

    /** True when every listed member wrote its result; fails with its log when one exited without. */
    public static boolean allResults(ProcessCluster cluster, Path dir, List<Integer> ids) {
        boolean all = true;
        for (int id : ids) {
            if (!Files.exists(result(dir, id))) {
                allAlive(cluster, List.of(id));
                all = false;
            }
        }
        return all;
    }

    public static List<String> read(Path dir, int id) throws IOException {
        return Files.readAllLines(result(dir, id));
    }

    /** The lines that members which went through the same views must have in common. */
    public static List<String> agreement(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("digest") || l.startsWith("sender") || l.startsWith("viewsender")).toList();
    }

    /** When view {@code viewId} was installed ({@code System.nanoTime} of that process). */
    public static long installTime(List<String> lines, int viewId) {
        return lines.stream().filter(l -> l.startsWith("view " + viewId + " "))
                .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no view " + viewId + " in " + lines));
    }

    /** The line of the last view installed: {@code view <id> [<members>] at <nanoTime>}. */
    public static String lastView(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("view ")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no view in " + lines));
    }

    public static String stoppedReason(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("stopped=")).map(l -> l.substring("stopped=".length()))
                .findFirst().orElseThrow(() -> new AssertionError("no stopped= line in " + lines));
    }

    public static long stoppedAt(List<String> lines) {
        return value(lines, "stoppedAt");
    }

    /** The number on the line {@code <key> <number>}. */
    public static long value(List<String> lines, String key) {
        return lines.stream().filter(l -> l.startsWith(key + " ")).mapToLong(l -> Long.parseLong(l.substring(key.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + key + " line in " + lines));
    }

    /** How many messages of {@code sender} these lines say were delivered in view {@code viewId}. */
    public static long countInView(List<String> lines, int viewId, int sender) {
        String prefix = "viewsender " + viewId + " " + sender + " count ";
        return lines.stream().filter(l -> l.startsWith(prefix)).mapToLong(l -> Long.parseLong(l.substring(prefix.length())))
                .findFirst().orElse(0);
    }

    /**
     * Asserts that a member which left view {@code viewId} delivered there, from every sender, no
     * more than a member that stayed (delivery is FIFO per sender, so it is a prefix): it delivered
     * nothing the others never did.
     */
    public static void assertDeliveredNoMoreThan(List<String> left, List<String> stayed, int viewId, List<Integer> senders) {
        for (int s : senders) {
            assertThat(countInView(left, viewId, s))
                    .as("messages of sender %d delivered in view %d by the member that left (%s) vs one that stayed (%s)",
                            s, viewId, left, stayed)
                    .isLessThanOrEqualTo(countInView(stayed, viewId, s));
        }
    }
}
