package io.derecho.bench;

import java.util.Locale;

/**
 * Byte-size parsing and formatting. Suffixes are binary and case-insensitive: {@code 100},
 * {@code 100B}, {@code 10K}/{@code 10KB}/{@code 10KiB} (= 10240), {@code 1M}/{@code 1MB}/{@code
 * 1MiB}, {@code 1G}/{@code 1GiB}.
 */
public final class Sizes {

  private Sizes() {}

  public static long parseBytes(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT).replace("_", "");
    long mul = 1;
    if (s.endsWith("ib")) {
      s = s.substring(0, s.length() - 2);
    } else if (s.endsWith("b")) {
      s = s.substring(0, s.length() - 1);
    }
    if (s.endsWith("k")) {
      mul = 1L << 10;
    } else if (s.endsWith("m")) {
      mul = 1L << 20;
    } else if (s.endsWith("g")) {
      mul = 1L << 30;
    }
    if (mul != 1) {
      s = s.substring(0, s.length() - 1);
    }
    s = s.trim();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("not a size: " + text);
    }
    double v;
    try {
      v = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a size: " + text);
    }
    if (v < 0) {
      throw new IllegalArgumentException("negative size: " + text);
    }
    return Math.round(v * mul);
  }

  /** Parses a size that must fit an int (message sizes). */
  public static int parseInt(String text) {
    long v = parseBytes(text);
    if (v > Integer.MAX_VALUE - 1024) {
      throw new IllegalArgumentException("size too large: " + text);
    }
    return (int) v;
  }

  /** 1024 -> "1KiB", 1048576 -> "1MiB", 1536 -> "1536B", 100 -> "100B". */
  public static String format(long bytes) {
    if (bytes >= (1L << 30) && bytes % (1L << 30) == 0) {
      return (bytes >> 30) + "GiB";
    }
    if (bytes >= (1L << 20) && bytes % (1L << 20) == 0) {
      return (bytes >> 20) + "MiB";
    }
    if (bytes >= (1L << 10) && bytes % (1L << 10) == 0) {
      return (bytes >> 10) + "KiB";
    }
    return bytes + "B";
  }
}
