package io.derecho.samples.kv;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client of one kv-store node (the workload, the demo and the tests use it). */
public final class KvClient {
    private static final JsonMapper JSON = JsonMapper.shared();
    /** One HTTP client (one selector thread, pooled connections) for every KvClient of this JVM. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final HttpClient http = HTTP;
    private final String base;
    private final Duration timeout;

    /** A non-2xx answer: its status and the server's message. */
    public static final class HttpError extends IOException {
        private final int status;

        HttpError(int status, String message) {
            super("HTTP " + status + ": " + message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public KvClient(String base) {
        this(base, Duration.ofSeconds(10));
    }

    public KvClient(String base, Duration timeout) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.timeout = timeout;
    }

    public String base() {
        return base;
    }

    public Entry put(String key, String value) throws IOException, InterruptedException {
        return entry(send("PUT", "/kv/" + key, "text/plain", value));
    }

    /** The entry, or null when the key is absent. */
    public Entry get(String key, boolean linearizable) throws IOException, InterruptedException {
        try {
            return entry(send("GET", "/kv/" + key + (linearizable ? "?consistency=linearizable" : ""), null, null));
        } catch (HttpError e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** The removed entry, or null when the key was absent. */
    public Entry delete(String key) throws IOException, InterruptedException {
        try {
            return entry(send("DELETE", "/kv/" + key, null, null));
        } catch (HttpError e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** Sets {@code value} if the current value is {@code expected} (null: absent); true if it swapped. */
    public boolean compareAndSet(String key, String expected, String value) throws IOException, InterruptedException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("expected", expected);
        body.put("value", value);
        return send("POST", "/kv/" + key + "/cas", "application/json", JSON.writeValueAsString(body)).get("swapped").asBoolean();
    }

    /** The listing's JSON ({@code entries}, {@code shards}, {@code truncated}). */
    public JsonNode list(String prefix, int limit) throws IOException, InterruptedException {
        return send("GET", "/kv?prefix=" + URLEncoder.encode(prefix, StandardCharsets.UTF_8) + "&limit=" + limit, null, null);
    }

    /** The Actuator endpoint {@code derecho} of this node. */
    public JsonNode derecho() throws IOException, InterruptedException {
        return send("GET", "/actuator/derecho", null, null);
    }

    /** This node's own replica ({@code GET /replica}: node, view, shard, members, keys). */
    public JsonNode replica() throws IOException, InterruptedException {
        return send("GET", "/replica", null, null);
    }

    /** The health status (UP, DOWN), or the failure when the node does not answer. */
    public String health() {
        try {
            HttpResponse<String> r = http.send(request("GET", "/actuator/health", null, null), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body()).path("status").asString("UNKNOWN");
        } catch (IOException | RuntimeException e) {
            return "UNREACHABLE";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "UNREACHABLE";
        }
    }

    /** Sends a request and returns the status and raw body, whatever the status (for tests of error answers). */
    public HttpResponse<String> raw(String method, String path, String contentType, String body)
            throws IOException, InterruptedException {
        return http.send(request(method, path, contentType, body), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode send(String method, String path, String contentType, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = raw(method, path, contentType, body);
        if (r.statusCode() / 100 != 2) {
            String message = r.body();
            try {
                message = JSON.readTree(r.body()).path("message").asString(r.body());
            } catch (RuntimeException ignored) {
                // not JSON: keep the raw body
            }
            throw new HttpError(r.statusCode(), message);
        }
        return JSON.readTree(r.body());
    }

    private HttpRequest request(String method, String path, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    }

    private static Entry entry(JsonNode n) {
        return new Entry(n.path("key").asString(), n.path("value").asString(), n.path("version").asLong());
    }
}
