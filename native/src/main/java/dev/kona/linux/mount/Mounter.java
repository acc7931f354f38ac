package dev.kona.linux.mount;

import static dev.kona.linux.syscall.MountFlags.*;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.common.error.KonaException;
import dev.kona.linux.syscall.CloneFlags;
import dev.kona.linux.syscall.DedicatedThread;
import dev.kona.linux.syscall.Errno;
import dev.kona.linux.syscall.NativeCallException;
import dev.kona.linux.syscall.Syscalls;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Performs {@link Mount}s in the daemon's mount namespace and takes them down again.
 *
 * <p>A bind mount takes its flags (ro, nosuid, ...) only on a second, remounting call, and each
 * propagation change (rprivate, rslave, ...) is its own call: {@link #mount} makes them in that
 * order. {@link #mountAll} is all-or-nothing. Unmounting is idempotent: a target that is not
 * mounted (or gone) is fine, a busy one is detached lazily (MNT_DETACH) instead of failing.
 * Errors are the {@link KonaException} family, with the mount in the message.
 */
public final class Mounter {
  private static final Logger log = LoggerFactory.getLogger(Mounter.class);
  // mount(2) copies at most one page of data; overlay with many layers can exceed it.
  private static final int MAX_DATA = 4095;

  private final Syscalls sys;
  private final Supplier<List<MountInfo>> mountTable;

  public Mounter(Syscalls sys) {
    this(sys, MountTable::read);
  }

  /** With a mount-table source other than /proc/self/mountinfo (tests with a fake). */
  public Mounter(Syscalls sys, Supplier<List<MountInfo>> mountTable) {
    this.sys = sys;
    this.mountTable = mountTable;
  }

  public void mount(Mount m) {
    MountOptions o = MountOptions.parse(m.type(), m.options());
    if (o.data() != null && o.data().length() > MAX_DATA) {
      throw new InvalidArgumentException("mount " + m.type() + " on " + m.target()
          + ": options: expected at most " + MAX_DATA + " bytes, got " + o.data().length());
    }
    try {
      if (o.bind()) {
        sys.mount(m.source(), m.target(), null, MS_BIND | (o.recursive() ? MS_REC : 0), null);
        long extra = o.flags() & MountOptions.BIND_REMOUNT_FLAGS;
        if (extra != 0) {
          try {
            sys.mount(null, m.target(), null, MS_BIND | MS_REMOUNT | extra, null);
          } catch (NativeCallException e) {
            undo(m.target());
            throw e;
          }
        }
      } else {
        sys.mount(m.source(), m.target(), m.type(), o.flags(), o.data());
      }
      for (long propagation : o.propagation()) {
        try {
          sys.mount(null, m.target(), null, propagation, null);
        } catch (NativeCallException e) {
          undo(m.target());
          throw e;
        }
      }
    } catch (NativeCallException e) {
      throw e.toKonaException().withContext("mount " + m);
    }
  }

  /**
   * Mounts {@code m}, whose options name paths relative to {@code directory}: an overlay whose
   * absolute lowerdirs would pass mount(2)'s one-page limit (images with many layers). The mount is
   * made from a thread with a working directory of its own (unshare CLONE_FS, then chdir), so the
   * rest of the daemon keeps its own.
   */
  public void mountFrom(Path directory, Mount m) {
    DedicatedThread.run("kona-mount-relative", () -> {
      sys.unshare(CloneFlags.CLONE_FS);
      sys.chdir(directory.toString());
      mount(m);
    });
  }

  /** Mounts each in order; if one fails, unmounts those already made (in reverse) and rethrows. */
  public void mountAll(List<Mount> mounts) {
    List<Mount> done = new ArrayList<>();
    try {
      for (Mount m : mounts) {
        mount(m);
        done.add(m);
      }
    } catch (RuntimeException e) {
      for (Mount m : done.reversed()) {
        try {
          unmount(m.target());
        } catch (RuntimeException cleanup) {
          e.addSuppressed(cleanup);
        }
      }
      throw e;
    }
  }

  /** Unmounts in reverse order; tries all and reports the first failure. */
  public void unmountAll(List<Mount> mounts) {
    RuntimeException first = null;
    for (Mount m : mounts.reversed()) {
      try {
        unmount(m.target());
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /**
   * Unmounts the topmost mount at {@code target}. Returns false when nothing was mounted there.
   * A busy mount is detached (MNT_DETACH): it disappears from the tree now and is freed when its
   * last user goes.
   */
  public boolean unmount(String target) {
    try {
      sys.umount2(target, UMOUNT_NOFOLLOW);
      return true;
    } catch (NativeCallException e) {
      if (e.is(Errno.EINVAL) || e.is(Errno.ENOENT)) {
        return false;
      }
      if (!e.is(Errno.EBUSY)) {
        throw e.toKonaException().withContext("unmount " + target);
      }
    }
    try {
      sys.umount2(target, MNT_DETACH | UMOUNT_NOFOLLOW);
      log.info("unmount {}: busy, detached lazily", target);
      return true;
    } catch (NativeCallException e) {
      throw e.toKonaException().withContext("unmount " + target + " (detach after EBUSY)");
    }
  }

  /**
   * Unmounts everything at or below {@code path}, deepest first, including stacked mounts; the
   * cleanup for a container rootfs or a run directory. Returns how many mounts were taken down.
   */
  public int unmountTree(String path) {
    int count = 0;
    List<MountInfo> mounts = mountTable.get().stream().filter(m -> m.isAtOrUnder(path)).toList();
    for (MountInfo m : mounts.reversed().stream()
        .sorted((a, b) -> Integer.compare(b.mountPoint().length(), a.mountPoint().length()))
        .toList()) {
      if (unmount(m.mountPoint())) {
        count++;
      }
    }
    return count;
  }

  /** Remounts the bind or filesystem at {@code target} read-only, keeping its other flags. */
  public void remountReadOnly(String target, boolean bind) {
    long keep = flagsOf(target);
    try {
      sys.mount(null, target, null, MS_REMOUNT | MS_RDONLY | (bind ? MS_BIND : 0) | keep, null);
    } catch (NativeCallException e) {
      throw e.toKonaException().withContext("remount " + target + " read-only");
    }
  }

  /** Sets propagation ({@code MS_PRIVATE}, {@code MS_SLAVE}, ... optionally | MS_REC) at {@code target}. */
  public void setPropagation(String target, long propagation) {
    try {
      sys.mount(null, target, null, propagation, null);
    } catch (NativeCallException e) {
      throw e.toKonaException().withContext("set propagation of " + target);
    }
  }

  // A read-only remount must repeat the mount's locked flags or the kernel refuses (EPERM in
  // user namespaces) or silently clears them.
  private long flagsOf(String target) {
    MountInfo top = null;
    for (MountInfo m : mountTable.get()) {
      if (m.mountPoint().equals(target)) {
        top = m;
      }
    }
    if (top == null) {
      return 0;
    }
    long flags = 0;
    for (String o : top.mountOptions()) {
      flags |= switch (o) {
        case "nosuid" -> MS_NOSUID;
        case "nodev" -> MS_NODEV;
        case "noexec" -> MS_NOEXEC;
        case "noatime" -> MS_NOATIME;
        case "nodiratime" -> MS_NODIRATIME;
        case "relatime" -> MS_RELATIME;
        default -> 0L;
      };
    }
    return flags;
  }

  private void undo(String target) {
    try {
      sys.umount2(target, MNT_DETACH);
    } catch (NativeCallException e) {
      log.warn("undo mount at {} after a failed step: {}", target, e.getMessage());
    }
  }
}
