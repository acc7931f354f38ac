package dev.kona.runtime.state;

import java.nio.file.Path;
import java.util.List;

/**
 * Crash safety for what Kona makes on the host for a pod or container. Before an operation makes
 * anything (namespace pins, mounts, cgroups, monitors, pod inits, CNI attachments, directories),
 * or starts taking it down, it writes an intent: the action and the object's record with every
 * resource it may make. The write is durable (temp file, fsync, rename, fsync of the directory), so
 * an intent exists whenever one of its resources might. The entry goes when the operation ends,
 * either way.
 *
 * <p>At daemon start every entry left is an operation a crash interrupted. A {@link Action#CREATE}
 * whose record is complete (persisted) is adopted; one whose record is not is torn down from the
 * intent. A {@link Action#REMOVE} is finished. Teardown is idempotent, so a crash during recovery
 * only means it runs again at the next start.
 *
 * @param <T> the intent of one kind of object
 */
public final class Journal<T> {

  /** What the interrupted operation was doing. */
  public enum Action {
    /** Making the object: roll back unless its record was completed. */
    CREATE,
    /** Taking it down: roll forward. */
    REMOVE
  }

  private final JsonStore<T> store;

  public Journal(Path dir, Class<T> type) {
    this.store = new JsonStore<>(dir, type);
  }

  /** Durably records the intent before any resource of {@code id} is made or taken down. */
  public void begin(String id, T intent) {
    store.put(id, intent);
  }

  /** The operation on {@code id} finished (or failed and undid itself). */
  public void end(String id) {
    store.delete(id);
  }

  /** Intents of operations a crash interrupted; read once at start, before any new operation. */
  public List<T> interrupted() {
    return store.loadAll();
  }
}
