package dev.kona.linux.ns;

import dev.kona.common.error.AlreadyExistsException;
import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InternalException;
import dev.kona.common.error.KonaException;
import dev.kona.linux.mount.Mounter;
import dev.kona.linux.syscall.DedicatedThread;
import dev.kona.linux.syscall.MountFlags;
import dev.kona.linux.syscall.NativeCallException;
import dev.kona.linux.syscall.Syscalls;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a pod's namespaces and pins each one by bind-mounting {@code /proc/thread-self/ns/<type>}
 * onto a file {@code <runDir>/<type>}, so they live without any process (no pause container).
 *
 * <p>The unshare happens on a {@link DedicatedThread} that exits right after pinning, so no JVM
 * thread that runs other work ever sits in the pod's namespaces. While there, it brings the new
 * network namespace's loopback up (an ioctl on a socket created in that namespace: no {@code ip}
 * binary, no netlink code) and sets the hostname in the new UTS namespace.
 *
 * <p>The pins are mounts in the daemon's mount namespace; {@link #unpin} unmounts and deletes them
 * and is idempotent. A failure part-way undoes what was done and leaves no file or mount.
 */
public final class NamespacePinner {
  private static final Logger log = LoggerFactory.getLogger(NamespacePinner.class);
  private static final Set<NamespaceType> PINNABLE =
      Set.of(NamespaceType.NET, NamespaceType.IPC, NamespaceType.UTS);

  private final Syscalls sys;
  private final Mounter mounter;

  public NamespacePinner(Syscalls sys) {
    this.sys = sys;
    this.mounter = new Mounter(sys);
  }

  /**
   * Creates fresh namespaces of {@code types} (a subset of net, ipc, uts) and pins them under
   * {@code runDir}. {@code hostname} is set in a new UTS namespace when not null.
   */
  public PinnedNamespaces pin(Path runDir, Set<NamespaceType> types, String hostname) {
    for (NamespaceType t : types) {
      if (!PINNABLE.contains(t)) {
        throw new FailedPreconditionException("pin namespaces in " + runDir
            + ": expected net, ipc or uts, got " + t.procName() + " (needs a process to pin)");
      }
    }
    try {
      Files.createDirectories(runDir);
    } catch (IOException e) {
      throw new InternalException("create " + runDir + ": " + e.getMessage(), e);
    }
    String threadName = "kona-ns-pin-" + runDir.getFileName();
    Set<NamespaceType> ordered = types.isEmpty() ? Set.of() : EnumSet.copyOf(types);
    return DedicatedThread.call(threadName, () -> pinOnThisThread(runDir, ordered, hostname));
  }

  private PinnedNamespaces pinOnThisThread(Path runDir, Set<NamespaceType> types, String hostname) {
    Map<NamespaceType, Path> pinned = new EnumMap<>(NamespaceType.class);
    try {
      int flags = 0;
      for (NamespaceType t : types) {
        flags |= t.cloneFlag();
      }
      sys.unshare(flags);
      if (types.contains(NamespaceType.NET)) {
        sys.setInterfaceFlags("lo", sys.getInterfaceFlags("lo") | Syscalls.IFF_UP);
      }
      if (hostname != null && types.contains(NamespaceType.UTS)) {
        sys.sethostname(hostname);
      }
      for (NamespaceType t : types) {
        Path pin = runDir.resolve(t.procName());
        Files.createFile(pin);
        pinned.put(t, pin);
        sys.mount("/proc/thread-self/ns/" + t.procName(), pin.toString(), null, MountFlags.MS_BIND, null);
      }
      return new PinnedNamespaces(pinned);
    } catch (FileAlreadyExistsException e) {
      unpinQuietly(pinned, e);
      throw new AlreadyExistsException(
          "pin namespaces in " + runDir + ": " + e.getFile() + " already exists", e);
    } catch (IOException e) {
      unpinQuietly(pinned, e);
      throw new InternalException("pin namespaces in " + runDir + ": " + e.getMessage(), e);
    } catch (NativeCallException e) {
      unpinQuietly(pinned, e);
      throw e.toKonaException().withContext("pin namespaces in " + runDir);
    }
  }

  /** Unmounts and deletes every pin; pins already gone are fine. */
  public void unpin(PinnedNamespaces namespaces) {
    KonaException first = null;
    for (Path pin : namespaces.paths().values()) {
      try {
        mounter.unmount(pin.toString());
        Files.deleteIfExists(pin);
      } catch (KonaException e) {
        first = first == null ? e : first;
      } catch (IOException e) {
        first = first == null ? new InternalException("delete " + pin + ": " + e.getMessage(), e) : first;
      }
    }
    if (first != null) {
      throw first.withContext("unpin namespaces");
    }
  }

  private void unpinQuietly(Map<NamespaceType, Path> pinned, Exception cause) {
    try {
      unpin(new PinnedNamespaces(pinned));
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
      log.warn("undo namespace pins after failure: {}", e.getMessage());
    }
  }
}
