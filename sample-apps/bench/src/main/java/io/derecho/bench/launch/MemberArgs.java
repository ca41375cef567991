package io.derecho.bench.launch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Program arguments of a member process as {@code key=value} words. The driver builds them with
 * {@link Builder}, the member reads them with {@link #parse(String[])}. Values must not contain
 * whitespace (they are passed as separate argv words, so spaces would actually survive, but the
 * {@code .cmd} log files are easier to read this way).
 */
public final class MemberArgs {

  private final Map<String, String> values;

  private MemberArgs(Map<String, String> values) {
    this.values = values;
  }

  public static MemberArgs parse(String[] argv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String a : argv) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("expected key=value, got: " + a);
      }
      m.put(a.substring(0, eq), a.substring(eq + 1));
    }
    return new MemberArgs(m);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Map<String, String> asMap() {
    return Map.copyOf(values);
  }

  public boolean has(String key) {
    return values.containsKey(key);
  }

  public String get(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing member argument: " + key);
    }
    return v;
  }

  public String get(String key, String dflt) {
    return values.getOrDefault(key, dflt);
  }

  public int getInt(String key) {
    return Integer.parseInt(get(key));
  }

  public int getInt(String key, int dflt) {
    return has(key) ? getInt(key) : dflt;
  }

  public long getLong(String key) {
    return Long.parseLong(get(key));
  }

  public long getLong(String key, long dflt) {
    return has(key) ? getLong(key) : dflt;
  }

  public boolean getBoolean(String key) {
    return Boolean.parseBoolean(get(key));
  }

  public boolean getBoolean(String key, boolean dflt) {
    return has(key) ? getBoolean(key) : dflt;
  }

  /** Durations are passed as milliseconds. */
  public Duration getMillis(String key) {
    return Duration.ofMillis(getLong(key));
  }

  /** Comma-separated integers, e.g. ports. */
  public List<Integer> getIntList(String key) {
    String v = get(key);
    if (v.isEmpty()) {
      return List.of();
    }
    return Arrays.stream(v.split(",")).map(String::trim).map(Integer::valueOf).toList();
  }

  @Override
  public String toString() {
    return values.toString();
  }

  /** Builds the argv of a member. */
  public static final class Builder {

    /** Adds {@code key=value} strings (e.g. from --jgroups-opt / --derecho-opt). */
    public Builder putKeyValues(java.util.List<String> keyValues) {
      for (String kv : keyValues) {
        int eq = kv.indexOf('=');
        put(kv.substring(0, eq), kv.substring(eq + 1));
      }
      return this;
    }

    private final Map<String, String> m = new LinkedHashMap<>();

    public Builder put(String key, Object value) {
      if (key.contains("=")) {
        throw new IllegalArgumentException("bad key " + key);
      }
      m.put(key, String.valueOf(value));
      return this;
    }

    public Builder putMillis(String key, Duration d) {
      return put(key, d.toMillis());
    }

    public Builder putInts(String key, List<Integer> ints) {
      return put(key, String.join(",", ints.stream().map(String::valueOf).toList()));
    }

    public Builder putAll(Map<String, String> more) {
      more.forEach(this::put);
      return this;
    }

    public List<String> toArgs() {
      List<String> out = new ArrayList<>();
      m.forEach((k, v) -> out.add(k + "=" + v));
      return out;
    }
  }
}
