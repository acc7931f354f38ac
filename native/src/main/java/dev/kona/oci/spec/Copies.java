package dev.kona.oci.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Defensive copies for the spec records: null becomes empty, order is kept, nothing is mutable. */
final class Copies {
  private Copies() {}

  static <T> List<T> list(List<T> values) {
    return values == null ? List.of() : List.copyOf(values);
  }

  static <K, V> Map<K, V> map(Map<K, V> values) {
    return values == null || values.isEmpty()
        ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }
}
