package io.derecho.bench.launch;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tiny JSON writer/parser for flat records: one object whose values are strings, numbers,
 * booleans or null (no nested objects or arrays). This is all the member-to-driver protocol
 * needs, and it keeps the bench independent of any JSON library.
 *
 * <p>Numbers parse as {@link Long} when integral, otherwise as {@link Double}.
 */
public final class FlatJson {

  private FlatJson() {}

  /** Writes {@code record} as a single-line JSON object; iteration order is kept. */
  public static String write(Map<String, ?> record) {
    StringBuilder sb = new StringBuilder(64 + record.size() * 24);
    sb.append('{');
    boolean first = true;
    for (Map.Entry<String, ?> e : record.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      quote(sb, e.getKey());
      sb.append(':');
      Object v = e.getValue();
      if (v == null) {
        sb.append("null");
      } else if (v instanceof Boolean b) {
        sb.append(b.booleanValue());
      } else if (v instanceof Double d) {
        sb.append(Double.isFinite(d) ? d.toString() : "null");
      } else if (v instanceof Float f) {
        sb.append(Float.isFinite(f) ? f.toString() : "null");
      } else if (v instanceof Number n) {
        sb.append(n.toString());
      } else {
        quote(sb, v.toString());
      }
    }
    return sb.append('}').toString();
  }

  /** Parses a flat JSON object. */
  public static Map<String, Object> parse(String json) {
    return new Parser(json).object();
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    Map<String, Object> object() {
      Map<String, Object> out = new LinkedHashMap<>();
      ws();
      expect('{');
      ws();
      if (peek() == '}') {
        i++;
        return end(out);
      }
      while (true) {
        ws();
        String key = string();
        ws();
        expect(':');
        ws();
        out.put(key, value());
        ws();
        char c = next();
        if (c == '}') {
          return end(out);
        }
        if (c != ',') {
          throw error("expected ',' or '}'");
        }
      }
    }

    private Map<String, Object> end(Map<String, Object> out) {
      ws();
      if (i != s.length()) {
        throw error("trailing characters");
      }
      return out;
    }

    private Object value() {
      char c = peek();
      if (c == '"') {
        return string();
      }
      if (s.startsWith("true", i)) {
        i += 4;
        return Boolean.TRUE;
      }
      if (s.startsWith("false", i)) {
        i += 5;
        return Boolean.FALSE;
      }
      if (s.startsWith("null", i)) {
        i += 4;
        return null;
      }
      if (c == '-' || (c >= '0' && c <= '9')) {
        int start = i;
        boolean integral = true;
        while (i < s.length()) {
          char d = s.charAt(i);
          if (d == '.' || d == 'e' || d == 'E') {
            integral = false;
          } else if (!(d == '-' || d == '+' || (d >= '0' && d <= '9'))) {
            break;
          }
          i++;
        }
        String num = s.substring(start, i);
        return integral ? (Object) Long.parseLong(num) : (Object) Double.parseDouble(num);
      }
      throw error("nested values are not supported");
    }

    private String string() {
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') {
          return sb.toString();
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        char e = next();
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'u' -> {
            if (i + 4 > s.length()) {
              throw error("bad unicode escape");
            }
            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> throw error("bad escape");
        }
      }
    }

    private void ws() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private char peek() {
      if (i >= s.length()) {
        throw error("unexpected end");
      }
      return s.charAt(i);
    }

    private char next() {
      char c = peek();
      i++;
      return c;
    }

    private void expect(char c) {
      if (next() != c) {
        i--;
        throw error("expected '" + c + "'");
      }
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException("bad JSON at " + i + ": " + what);
    }
  }
}
