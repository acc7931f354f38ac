package dev.kona.linux.ns;

import dev.kona.common.error.InternalException;
import dev.kona.linux.syscall.DedicatedThread;
import dev.kona.linux.syscall.NativeCallException;
import dev.kona.linux.syscall.OpenFlags;
import dev.kona.linux.syscall.OwnedFd;
import dev.kona.linux.syscall.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Running work inside a namespace, and identifying namespaces by inode. */
public final class Namespaces {
  private Namespaces() {}

  /**
   * Runs {@code task} on a {@link DedicatedThread} that has joined the namespace pinned (or
   * linked) at {@code nsFile}; the thread exits afterwards, so the join never leaks.
   */
  public static <T> T callIn(Syscalls sys, Path nsFile, NamespaceType type, Callable<T> task) {
    return DedicatedThread.call("kona-ns-" + type.procName(), () -> {
      try (OwnedFd fd = sys.open(nsFile.toString(), OpenFlags.O_RDONLY, 0)) {
        sys.setns(fd.get(), type.cloneFlag());
      } catch (NativeCallException e) {
        throw e.toKonaException().withContext("join " + type.procName() + " namespace " + nsFile);
      }
      return task.call();
    });
  }

  /** The namespace's inode number, as {@code ls -Li} or {@code lsns} show it. */
  public static long inode(Path nsFile) {
    try {
      return ((Number) Files.getAttribute(nsFile, "unix:ino")).longValue();
    } catch (IOException e) {
      throw new InternalException("stat " + nsFile + ": " + e.getMessage(), e);
    }
  }

  /** The inode of this process's (thread group leader's) namespace of {@code type}. */
  public static long hostInode(NamespaceType type) {
    return inode(Path.of("/proc/self/ns/" + type.procName()));
  }
}
