package io.derecho.config;

/** A configuration that cannot work; the message names the key and the bad value. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Throws {@code invalid <key> = <value>: <rule>} unless {@code ok}. */
    public static void check(boolean ok, String key, Object value, String rule) {
        if (!ok) {
            throw new ConfigException("invalid " + key + " = " + value + ": " + rule);
        }
    }
}
