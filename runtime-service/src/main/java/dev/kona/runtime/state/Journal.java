package dev.kona.runtime.state;

import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

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

  /** How one kind of object is recovered: the parts that differ between pods and containers. */
  public interface Recovery<T> {
    /** "container", "pod sandbox": how the log names the object. */
    String kind();

    /** The CRI call that creates ({@code CREATE}) or removes ({@code REMOVE}) the object. */
    String operation(Action action);

    String id(T intent);

    Action action(T intent);

    /** The object's record was persisted: its creation completed, or its removal had not ended. */
    boolean recorded(String id);

    /** Completes a removal that had begun. */
    void finishRemoval(String id);

    /** Takes down everything the intent says may exist; each part skips what is gone. */
    void tearDown(T intent);
  }

  /**
   * Settles every interrupted operation: a completed creation is adopted, a begun removal is
   * finished, anything else is torn down from its intent. Call once at start, before the first CRI
   * call. A step that fails keeps its entry, so it is retried at the next start.
   */
  public void recover(Recovery<T> recovery) {
    for (T intent : interrupted()) {
      String id = recovery.id(intent);
      Action action = recovery.action(intent);
      try {
        if (action == Action.CREATE && recovery.recorded(id)) {
          LOG.info("{} {}: adopted (its creation had completed when the daemon stopped)", recovery.kind(), id);
        } else if (recovery.recorded(id)) {
          LOG.warn("{} {}: finishing the removal a crash interrupted", recovery.kind(), id);
          recovery.finishRemoval(id);
        } else {
          LOG.warn("{} {}: tearing down what an interrupted {} left", recovery.kind(), id, recovery.operation(action));
          recovery.tearDown(intent);
        }
        end(id);
      } catch (RuntimeException e) {
        LOG.error("{} {}: recovery failed, retried at the next start: {}", recovery.kind(), id, e.getMessage(), e);
      }
    }
  }
}
