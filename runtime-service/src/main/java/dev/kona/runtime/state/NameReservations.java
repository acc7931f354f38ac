package dev.kona.runtime.state;

import dev.kona.common.error.AlreadyExistsException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Names that must be unique while their owner exists: a pod's (name, namespace, uid, attempt), a
 * container's (name, attempt) within its pod. {@link #reserve} fails with AlreadyExists naming the
 * owner; the owner releases the name when it is removed.
 */
public final class NameReservations {

  private final String kind;
  private final ConcurrentMap<String, String> owners = new ConcurrentHashMap<>();

  public NameReservations(String kind) {
    this.kind = kind;
  }

  public void reserve(String name, String id) {
    String owner = owners.putIfAbsent(name, id);
    if (owner != null && !owner.equals(id)) {
      throw new AlreadyExistsException(kind + " name \"" + name + "\" is reserved for " + kind + " " + owner);
    }
  }

  /** The id that holds {@code name}, or null. */
  public String owner(String name) {
    return owners.get(name);
  }

  public void release(String name, String id) {
    owners.remove(name, id);
  }
}
