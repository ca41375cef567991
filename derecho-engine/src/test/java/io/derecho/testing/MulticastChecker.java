package io.derecho.testing;

import io.derecho.config.Mode;
import io.derecho.multicast.GroupLayout;
import io.derecho.multicast.ShardLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks recorded deliveries against the guarantees of a fixed-membership group: per shard, every
 * member delivers every sent message exactly once with intact contents (no loss, no duplicates, no
 * phantoms), FIFO per sender, and in ORDERED shards the same sequence on every member with
 * strictly increasing versions. Returns the violations found, empty when the run is correct.
 */
public final class MulticastChecker {
    private MulticastChecker() {
    }

    public static List<String> check(GroupLayout layout, List<Sent> sent, Map<Integer, List<Delivered>> deliveredByNode) {
        List<String> errors = new ArrayList<>();
        for (ShardLayout shard : layout.shards()) {
            Map<String, Sent> expected = new HashMap<>();
            for (Sent s : sent) {
                if (s.shardIndex() == shard.index()) {
                    expected.put(s.sender() + ":" + s.index(), s);
                }
            }
            List<Delivered> reference = null;
            int referenceNode = -1;
            for (int member : shard.members()) {
                List<Delivered> seq = deliveredByNode.getOrDefault(member, List.of()).stream()
                        .filter(d -> d.shardIndex() == shard.index()).toList();
                String where = "shard " + shard.subgroupName() + "/" + shard.shard() + " node " + member;
                checkMember(where, shard, seq, expected, errors);
                if (shard.mode() == Mode.ORDERED) {
                    if (reference == null) {
                        reference = seq;
                        referenceNode = member;
                    } else {
                        compareOrder(where, referenceNode, reference, seq, errors);
                    }
                }
            }
        }
        return errors;
    }

    private static void checkMember(String where, ShardLayout shard, List<Delivered> seq, Map<String, Sent> expected,
                                    List<String> errors) {
        Set<String> seen = new HashSet<>();
        Map<Integer, Long> nextIndex = new HashMap<>();
        long lastVersion = Long.MIN_VALUE;
        for (Delivered d : seq) {
            String key = d.sender() + ":" + d.index();
            Sent s = expected.get(key);
            if (s == null) {
                errors.add(where + ": delivered message " + key + " that was never sent");
                continue;
            }
            if (!seen.add(key)) {
                errors.add(where + ": delivered message " + key + " twice");
            }
            long want = nextIndex.getOrDefault(d.sender(), 0L);
            if (d.index() != want) {
                errors.add(where + ": FIFO broken for sender " + d.sender() + ": delivered index " + d.index()
                        + " when " + want + " was next");
            }
            nextIndex.put(d.sender(), d.index() + 1);
            if (d.size() != s.size() || d.crc() != Payloads.expectedCrc(s.size(), s.shardIndex(), s.sender(), s.index())) {
                errors.add(where + ": message " + key + " corrupted (" + d.size() + " bytes delivered, " + s.size()
                        + " sent)");
            }
            if (shard.mode() == Mode.ORDERED) {
                if (d.version() <= lastVersion) {
                    errors.add(where + ": version " + Long.toHexString(d.version()) + " after "
                            + Long.toHexString(lastVersion));
                }
                lastVersion = d.version();
            } else if (d.version() != -1) {
                errors.add(where + ": UNORDERED delivery carries version " + d.version());
            }
        }
        if (seen.size() != expected.size()) {
            int missing = 0;
            String example = null;
            for (String k : expected.keySet()) {
                if (!seen.contains(k)) {
                    missing++;
                    example = example == null ? k : example;
                }
            }
            if (missing > 0) {
                errors.add(where + ": " + missing + " of " + expected.size() + " messages never delivered (e.g. " + example + ")");
            }
        }
    }

    private static void compareOrder(String where, int refNode, List<Delivered> ref, List<Delivered> seq,
                                     List<String> errors) {
        int n = Math.min(ref.size(), seq.size());
        for (int i = 0; i < n; i++) {
            Delivered a = ref.get(i);
            Delivered b = seq.get(i);
            if (a.sender() != b.sender() || a.index() != b.index() || a.version() != b.version()) {
                errors.add(where + ": total order differs from node " + refNode + " at position " + i + ": "
                        + b.sender() + ":" + b.index() + " vs " + a.sender() + ":" + a.index());
                return;
            }
        }
    }
}
