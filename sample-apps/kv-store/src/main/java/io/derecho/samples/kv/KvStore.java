package io.derecho.samples.kv;

import io.derecho.object.CodecState;
import io.derecho.object.Replicated;
import io.derecho.spring.Query;
import io.derecho.spring.ReplicatedBean;
import io.derecho.spring.ShardKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One shard of the key-value store, replicated on every member of the shard. Writes are ordered
 * calls (every replica applies them in the same order, so the replicas stay identical); reads are
 * queries of one replica ({@link #get}) or, when a read must see every acknowledged write,
 * ordered calls too ({@link #getLatest}). The key picks the shard.
 */
@ReplicatedBean(subgroup = "kv")
public class KvStore implements CodecState<TreeMap<String, Entry>> {
    private TreeMap<String, Entry> entries = new TreeMap<>();

    /** Stores {@code value} under {@code key}; returns the new entry. */
    public Entry put(@ShardKey String key, String value) {
        Entry e = new Entry(key, value, Replicated.currentVersion());
        entries.put(key, e);
        return e;
    }

    /** Removes {@code key}; returns the removed entry, or null when there was none. */
    public Entry delete(@ShardKey String key) {
        return entries.remove(key);
    }

    /** Sets {@code key} to {@code value} if its value is {@code expected} (null: if absent). */
    public CasResult compareAndSet(@ShardKey String key, String expected, String value) {
        Entry current = entries.get(key);
        String now = current == null ? null : current.value();
        if (!Objects.equals(now, expected)) {
            return new CasResult(false, current);
        }
        return new CasResult(true, put(key, value));
    }

    /** The entry as one replica holds it (this node's when it holds the shard): fast, may trail a write in flight. */
    @Query
    public Entry get(@ShardKey String key) {
        return entries.get(key);
    }

    /** The entry after every write ordered before this call: a linearizable read, at the cost of an ordered call. */
    public Entry getLatest(@ShardKey String key) {
        return entries.get(key);
    }

    /** Up to {@code limit} entries of this replica's shard whose keys start with {@code prefix}, in key order. */
    @Query
    public List<Entry> list(String prefix, int limit) {
        List<Entry> out = new ArrayList<>();
        for (Map.Entry<String, Entry> e : entries.tailMap(prefix, true).entrySet()) {
            if (!e.getKey().startsWith(prefix) || out.size() >= limit) {
                break;
            }
            out.add(e.getValue());
        }
        return out;
    }

    /** How many keys this replica's shard holds. */
    @Query
    public int size() {
        return entries.size();
    }

    @Override
    public TreeMap<String, Entry> snapshot() {
        return new TreeMap<>(entries);
    }

    @Override
    public void restore(TreeMap<String, Entry> state) {
        entries = new TreeMap<>(state);
    }
}
