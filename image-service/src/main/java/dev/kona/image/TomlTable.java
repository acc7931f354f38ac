package dev.kona.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads optional keys from a TOML table that Jackson handed over as a map. Values may also arrive
 * as text (command-line flags). Problems are {@link IllegalArgumentException}s starting with the key,
 * as the config loader expects.
 */
final class TomlTable {

  private final Map<String, Object> raw;
  private final String prefix;

  TomlTable(Map<String, Object> raw, String prefix, Set<String> known) {
    this.raw = raw == null ? Map.of() : raw;
    this.prefix = prefix;
    for (String key : this.raw.keySet()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException(
            prefix + key + ": unknown key; expected one of " + new TreeSet<>(known));
      }
    }
  }

  @SuppressWarnings("unchecked")
  static TomlTable asTable(Object value, String key) {
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(key + ": expected a table");
    }
    return new TomlTable((Map<String, Object>) map, key + ".", ImageConfig.RegistryConfig.KEYS);
  }

  int integer(String key, int fallback) {
    Object value = raw.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number n) {
      return n.intValue();
    }
    try {
      return Integer.parseInt(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(prefix + key + ": expected an integer, got \"" + value + "\"");
    }
  }

  boolean bool(String key, boolean fallback) {
    Object value = raw.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    return switch (value.toString().trim()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(prefix + key + ": expected true or false, got \"" + value + "\"");
    };
  }

  String string(String key, String fallback) {
    Object value = raw.get(key);
    return value == null ? fallback : value.toString();
  }

  List<String> strings(String key) {
    Object value = raw.get(key);
    if (value == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    if (value instanceof List<?> list) {
      list.forEach(v -> out.add(v.toString()));
    } else {
      for (String part : value.toString().split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> tables(String key) {
    Object value = raw.get(key);
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(prefix + key + ": expected a table of registry hosts");
    }
    return (Map<String, Object>) map;
  }
}
