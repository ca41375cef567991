package io.derecho.testing.lin;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The values an operation may carry as arguments or result: {@code null} (nil), {@link Long}, {@link String}
 * and {@link Boolean}. Smaller integers are widened to {@code Long} so that {@code 1} and {@code 1L} compare
 * equal in models and survive a round trip through a history file.
 */
final class Values {
    private static final String STRING_PREFIX = "s:";

    private Values() {
    }

    static Object normalize(Object value) {
        if (value == null || value instanceof Long || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        throw new IllegalArgumentException("unsupported value " + value + " of " + value.getClass().getName()
                + ": use null, Long, Integer, String or Boolean");
    }

    static List<Object> normalizeAll(Object... values) {
        List<Object> out = new ArrayList<>(values.length);
        for (Object v : values) {
            out.add(normalize(v));
        }
        return Collections.unmodifiableList(out);
    }

    static List<Object> normalizeAll(List<?> values) {
        return normalizeAll(values.toArray());
    }

    /** Human-readable form used in explanations. */
    static String format(Object value) {
        if (value == null) {
            return "nil";
        }
        if (value instanceof String s) {
            return '"' + s + '"';
        }
        return value.toString();
    }

    static String formatArgs(List<Object> args) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(format(args.get(i)));
        }
        return sb.append(')').toString();
    }

    /** One whitespace-free token of the history file format. */
    static String encode(Object value) {
        if (value == null) {
            return "nil";
        }
        if (value instanceof String s) {
            return STRING_PREFIX + URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
        return value.toString();
    }

    static Object decode(String token) {
        switch (token) {
            case "nil":
                return null;
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            default:
                break;
        }
        if (token.startsWith(STRING_PREFIX)) {
            return URLDecoder.decode(token.substring(STRING_PREFIX.length()), StandardCharsets.UTF_8);
        }
        try {
            return Long.parseLong(token);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad value token '" + token + "': expected nil, true, false, a long or "
                    + STRING_PREFIX + "<url-encoded string>");
        }
    }

    static boolean isToken(String s) {
        return !s.isEmpty() && s.chars().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c));
    }

    static String[] split(String line) {
        return Arrays.stream(line.trim().split("\\s+")).filter(t -> !t.isEmpty()).toArray(String[]::new);
    }
}
