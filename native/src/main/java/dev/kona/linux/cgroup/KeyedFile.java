package dev.kona.linux.cgroup;

import java.util.HashMap;
import java.util.Map;

/** The flat-keyed cgroup files ({@code cpu.stat}, {@code memory.stat}, {@code memory.events}): "key value" lines. */
final class KeyedFile {
  private final Map<String, Long> values;

  private KeyedFile(Map<String, Long> values) {
    this.values = values;
  }

  static KeyedFile parse(String text) {
    Map<String, Long> values = new HashMap<>();
    for (String line : text.split("\n")) {
      String[] kv = line.trim().split("\\s+");
      if (kv.length == 2) {
        try {
          values.put(kv[0], Long.parseLong(kv[1]));
        } catch (NumberFormatException ignored) {
          // non-numeric lines (none in the files read here) are skipped
        }
      }
    }
    return new KeyedFile(values);
  }

  static final KeyedFile EMPTY = new KeyedFile(Map.of());

  long get(String key) {
    return values.getOrDefault(key, 0L);
  }

  /** The first of {@code keys} present (v1 has total_* for the hierarchy, plain for the cgroup). */
  long first(String... keys) {
    for (String k : keys) {
      Long v = values.get(k);
      if (v != null) {
        return v;
      }
    }
    return 0;
  }
}
