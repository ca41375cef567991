package io.derecho.samples.kv;

import io.derecho.object.Call;
import io.derecho.object.QueryResults;
import io.derecho.spring.Derecho;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The REST API of the key-value store. Any node serves any key: the {@link KvStore} proxy sends
 * the call to the key's shard (relayed when this node is not one of its members).
 *
 * <pre>
 * PUT    /kv/{key}            body: the value (text)        -> 200 {key, value, version}
 * GET    /kv/{key}[?consistency=linearizable]               -> 200 {key, value, version} | 404
 * DELETE /kv/{key}                                          -> 200 {key, value, version} (removed) | 404
 * POST   /kv/{key}/cas        {"expected": v|null, "value": v} -> 200 {swapped, current}
 * GET    /kv?prefix=p&amp;limit=n                               -> 200 {entries, shards, truncated}
 * </pre>
 */
@RestController
@RequestMapping("/kv")
public class KvController {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:-]{1,200}");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._:-]{0,200}");

    private final KvStore store;
    private final Derecho derecho;
    private final int maxValueBytes;

    public KvController(KvStore store, Derecho derecho, @Value("${kv.max-value-bytes:65536}") int maxValueBytes) {
        this.store = store;
        this.derecho = derecho;
        this.maxValueBytes = maxValueBytes;
    }

    @PutMapping(path = "/{key}", consumes = MediaType.ALL_VALUE)
    public Entry put(@PathVariable String key, @RequestBody(required = false) String value) {
        return store.put(checkKey(key), checkValue(value));
    }

    @GetMapping("/{key}")
    public ResponseEntity<Entry> get(@PathVariable String key,
                                     @RequestParam(defaultValue = "replica") String consistency) {
        checkKey(key);
        Entry e = switch (consistency) {
            case "replica" -> store.get(key);
            case "linearizable" -> store.getLatest(key);
            default -> throw new BadRequest("consistency must be 'replica' (default: one replica, fast) or "
                    + "'linearizable' (ordered with the writes), not '" + consistency + "'");
        };
        return found(key, e);
    }

    @DeleteMapping("/{key}")
    public ResponseEntity<Entry> delete(@PathVariable String key) {
        return found(key, store.delete(checkKey(key)));
    }

    /** The body of a compare-and-set: set {@code value} if the current value is {@code expected} (null: absent). */
    public record CasRequest(String expected, String value) {
    }

    @PostMapping("/{key}/cas")
    public CasResult compareAndSet(@PathVariable String key, @RequestBody(required = false) CasRequest body) {
        checkKey(key);
        if (body == null || body.value() == null) {
            throw new BadRequest("a compare-and-set needs a JSON body {\"expected\": <value or null>, \"value\": <new value>}");
        }
        if (body.expected() != null) {
            checkValue(body.expected());
        }
        return store.compareAndSet(key, body.expected(), checkValue(body.value()));
    }

    @GetMapping
    public Map<String, Object> list(@RequestParam(defaultValue = "") String prefix,
                                    @RequestParam(defaultValue = "100") int limit) throws Exception {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new BadRequest("prefix '" + prefix + "' is invalid: use up to 200 of A-Z a-z 0-9 . _ : -");
        }
        if (limit < 1 || limit > 1000) {
            throw new BadRequest("limit must be between 1 and 1000, not " + limit);
        }
        List<Entry> all = new ArrayList<>();
        boolean shardFull = false; // a shard returned `limit` entries: it may hold more
        List<QueryResults<List<Entry>>> shards = derecho.calls(KvStore.class).queryEachShard(Call.of(KvStore::list, prefix, limit));
        for (QueryResults<List<Entry>> r : shards) {
            try {
                List<Entry> part = r.get(Duration.ofSeconds(10));
                shardFull |= part.size() >= limit;
                all.addAll(part);
            } catch (TimeoutException e) {
                throw new io.derecho.object.RpcException("a shard did not answer the listing within 10 s", e);
            }
        }
        all.sort(Comparator.comparing(Entry::key));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("entries", all.subList(0, Math.min(limit, all.size())));
        out.put("shards", shards.size());
        out.put("truncated", all.size() > limit || shardFull);
        return out;
    }

    private static ResponseEntity<Entry> found(String key, Entry e) {
        if (e == null) {
            throw new NotFound("no key '" + key + "'");
        }
        return ResponseEntity.ok(e);
    }

    private static String checkKey(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new BadRequest("key '" + key + "' is invalid: use 1 to 200 of A-Z a-z 0-9 . _ : -");
        }
        return key;
    }

    private String checkValue(String value) {
        if (value == null) {
            throw new BadRequest("the value is missing: send it as the request body");
        }
        int bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > maxValueBytes) {
            throw new BadRequest("the value has " + bytes + " bytes; the limit is " + maxValueBytes + " (kv.max-value-bytes)",
                    HttpStatus.CONTENT_TOO_LARGE);
        }
        return value;
    }

    /** A client error, answered with its status and message. */
    static class BadRequest extends RuntimeException {
        final HttpStatus status;

        BadRequest(String message) {
            this(message, HttpStatus.BAD_REQUEST);
        }

        BadRequest(String message, HttpStatus status) {
            super(message);
            this.status = status;
        }
    }

    static class NotFound extends BadRequest {
        NotFound(String message) {
            super(message, HttpStatus.NOT_FOUND);
        }
    }
}
