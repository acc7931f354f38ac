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

  /**
   * Like {@link #pin}, but first a new user namespace with the given {@code uid_map} and
   * {@code gid_map} lines, which then owns the other new namespaces, as the kernel requires for a
   * pod whose containers run in it (their /sys and mqueue mounts need the pod's network and IPC
   * namespaces to belong to their user namespace). A multi-threaded process cannot unshare a user
   * namespace, so {@code holder} ({@code kona-shim unshare <flags>}) makes all of them at once and
   * waits while they are pinned from its /proc/&lt;pid&gt;/ns; the user namespace is pinned as
   * {@code <runDir>/user}.
   */
  public PinnedNamespaces pinInUserNamespace(Path runDir, Set<NamespaceType> types, String hostname, Path holder,
      String uidMap, String gidMap) {
    for (NamespaceType t : types) {
      if (!PINNABLE.contains(t)) {
        throw new FailedPreconditionException("pin namespaces in " + runDir
            + ": expected net, ipc or uts, got " + t.procName() + " (needs a process to pin)");
      }
    }
    Set<NamespaceType> all = EnumSet.of(NamespaceType.USER);
    all.addAll(types);
    int flags = 0;
    for (NamespaceType t : all) {
      flags |= t.cloneFlag();
    }
    Map<NamespaceType, Path> pinned = new EnumMap<>(NamespaceType.class);
    Process p = null;
    String context = "pin namespaces of a user namespace in " + runDir;
    try {
      Files.createDirectories(runDir);
      p = new ProcessBuilder(holder.toString(), "unshare", Integer.toString(flags)).start();
      String ready = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
          java.nio.charset.StandardCharsets.US_ASCII)).readLine();
      if (!"ready".equals(ready)) {
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        throw new InternalException(context + ": " + holder + " unshare: " + (err.isEmpty() ? "no answer" : err));
      }
      Path proc = Path.of("/proc", Long.toString(p.pid()));
      // setgroups stays allowed: the maps are written by the host's root, as runc and crun do.
      Files.writeString(proc.resolve("uid_map"), uidMap);
      Files.writeString(proc.resolve("gid_map"), gidMap);
      for (NamespaceType t : all) {
        Path pin = runDir.resolve(t.procName());
        Files.createFile(pin);
        pinned.put(t, pin);
        sys.mount(proc.resolve("ns").resolve(t.procName()).toString(), pin.toString(), null, MountFlags.MS_BIND, null);
      }
      PinnedNamespaces result = new PinnedNamespaces(pinned);
      // The host's root may enter namespaces its descendants own: loopback and hostname from here.
      if (types.contains(NamespaceType.NET)) {
        Namespaces.callIn(sys, result.path(NamespaceType.NET), NamespaceType.NET, () -> {
          sys.setInterfaceFlags("lo", sys.getInterfaceFlags("lo") | Syscalls.IFF_UP);
          return null;
        });
      }
      if (hostname != null && types.contains(NamespaceType.UTS)) {
        Namespaces.callIn(sys, result.path(NamespaceType.UTS), NamespaceType.UTS, () -> {
          sys.sethostname(hostname);
          return null;
        });
      }
      return result;
    } catch (FileAlreadyExistsException e) {
      unpinQuietly(pinned, e);
      throw new AlreadyExistsException(context + ": " + e.getFile() + " already exists", e);
    } catch (IOException e) {
      unpinQuietly(pinned, e);
      throw new InternalException(context + ": " + e.getMessage(), e);
    } catch (NativeCallException e) {
      unpinQuietly(pinned, e);
      throw e.toKonaException().withContext(context);
    } catch (RuntimeException e) {
      unpinQuietly(pinned, e);
      throw e;
    } finally {
      if (p != null) {
        try {
          p.getOutputStream().close(); // the holder exits; the pins keep the namespaces
          if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        } catch (IOException | InterruptedException e) {
          p.destroyForcibly();
        }
      }
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
