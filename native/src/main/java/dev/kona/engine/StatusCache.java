package dev.kona.engine;

import dev.kona.linux.syscall.LinuxSyscalls;
import dev.kona.linux.syscall.NativeCallException;
import dev.kona.linux.syscall.OwnedFd;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The last status file read for each state directory, reused while nothing can have changed it.
 * The kubelet lists every container every second; reading each status file and the monitor's
 * /proc entry each time made ListContainers cost ~40 µs a container.
 *
 * <p>Why a cached status is still true: a monitor rewrites its file in two cases only, when the
 * daemon asks it to start the container ({@link #forget} is called around that) and just before it
 * exits (after which the file never changes). So a stopped status is final, and any other stays
 * true while a pidfd of the monitor that wrote it does not report its exit; checking that is one
 * poll(2), with no file or /proc reads. A monitor killed from outside is noticed the same way.
 */
final class StatusCache {

  private final ConcurrentHashMap<Path, Entry> entries = new ConcurrentHashMap<>();
  /** Bumped by every {@link #forget}: a read that raced with one is not cached. */
  private final AtomicLong generation = new AtomicLong();

  /**
   * A status as read from a state directory; {@code monitorAlive} says its writer was seen running
   * just now (always false for a stopped status, whose monitor has exited).
   */
  record Observed(MonitorStatus status, boolean monitorAlive) {}

  /** The status in {@code dir} as {@code read} would return it now; null if there is none. */
  Observed get(Path dir, Function<Path, MonitorStatus> read) {
    Entry entry = entries.get(dir);
    if (entry != null) {
      if (entry.stillTrue()) {
        return new Observed(entry.status, entry.monitor != null);
      }
      drop(dir, entry);
    }
    long before = generation.get();
    MonitorStatus status = read.apply(dir);
    if (status == null) {
      return null;
    }
    Entry fresh = Entry.of(status);
    if (fresh != null && (generation.get() != before || entries.putIfAbsent(dir, fresh) != null)) {
      fresh.close();
    }
    // Without an entry the monitor of a status that is not final was found gone.
    return new Observed(status, fresh != null && fresh.monitor != null);
  }

  /** Drops what is known of {@code dir}: its monitor is about to change the file, or it is gone. */
  void forget(Path dir) {
    generation.incrementAndGet();
    Entry entry = entries.remove(dir);
    if (entry != null) {
      entry.close();
    }
  }

  int size() {
    return entries.size();
  }

  private void drop(Path dir, Entry entry) {
    if (entries.remove(dir, entry)) {
      entry.close();
    }
  }

  /** A status and, unless it is final, a pidfd of the monitor that wrote it. */
  private static final class Entry {
    final MonitorStatus status;
    private final OwnedFd monitor;
    private boolean closed;

    private Entry(MonitorStatus status, OwnedFd monitor) {
      this.status = status;
      this.monitor = monitor;
    }

    /** An entry for {@code status}, or null when it cannot be vouched for (its monitor is gone). */
    static Entry of(MonitorStatus status) {
      if (status.stopped()) {
        return new Entry(status, null);
      }
      if (status.monitorPid() <= 0) {
        return null;
      }
      OwnedFd pidfd;
      try {
        pidfd = LinuxSyscalls.get().pidfdOpen(status.monitorPid());
      } catch (NativeCallException e) {
        return null; // exited already
      }
      // The pid is the writer's only if it is still the same process once the pidfd pins it.
      if (!status.monitorAlive()) {
        pidfd.close();
        return null;
      }
      return new Entry(status, pidfd);
    }

    /** Synchronized with close: a poll must never see the number after it was closed (and reused). */
    synchronized boolean stillTrue() {
      if (monitor == null) {
        return true;
      }
      return !closed && !LinuxSyscalls.get().pollReadable(monitor, 0);
    }

    synchronized void close() {
      if (!closed && monitor != null) {
        monitor.close();
      }
      closed = true;
    }
  }
}
