package io.derecho.config;

import static io.derecho.config.ConfigException.check;

/** A member of a statically configured group: its node id and where it listens. */
public record MemberSpec(int id, String host, int port) {
    public MemberSpec {
        check(id >= 0, "members[].id", id, "must be a non-negative integer");
        check(host != null && !host.isBlank(), "members[id=" + id + "].host", host, "must be set");
        check(port > 0 && port < 65536, "members[id=" + id + "].port", port, "must be between 1 and 65535");
    }
}
