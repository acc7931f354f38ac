package dev.kona.runtime.state;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.common.error.NotFoundException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Sandbox and container ids: 64 lowercase hex digits, as containerd makes them, and an index that
 * resolves the unique prefixes crictl users type ({@code crictl inspect 3f2a}).
 */
public final class Ids {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  public static String newId() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Ids of one kind, resolvable by unique prefix. */
  public static final class Index {
    private final String kind;
    private final ConcurrentNavigableMap<String, Boolean> ids = new ConcurrentSkipListMap<>();

    public Index(String kind) {
      this.kind = kind;
    }

    public void add(String id) {
      ids.put(id, Boolean.TRUE);
    }

    public void remove(String id) {
      ids.remove(id);
    }

    /** The full id for {@code idOrPrefix}; NotFound when none matches, InvalidArgument when several do. */
    public String resolve(String idOrPrefix, String field) {
      if (idOrPrefix == null || idOrPrefix.isEmpty()) {
        throw new InvalidArgumentException(field + " is required");
      }
      if (ids.containsKey(idOrPrefix)) {
        return idOrPrefix;
      }
      Map<String, Boolean> matches = ids.subMap(idOrPrefix, true, idOrPrefix + Character.MAX_VALUE, false);
      if (matches.isEmpty()) {
        throw new NotFoundException(kind + " \"" + idOrPrefix + "\" not found");
      }
      if (matches.size() > 1) {
        throw new InvalidArgumentException(
            field + " \"" + idOrPrefix + "\" is ambiguous: it is a prefix of " + matches.size() + " " + kind + " ids");
      }
      return matches.keySet().iterator().next();
    }

    /** Like {@link #resolve} but null instead of NotFound, for idempotent calls. */
    public String resolveOrNull(String idOrPrefix, String field) {
      try {
        return resolve(idOrPrefix, field);
      } catch (NotFoundException e) {
        return null;
      }
    }
  }
}
