package dev.kona.image.unpack.fs;

import dev.kona.linux.syscall.Libc;
import dev.kona.linux.syscall.NativeCallException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * The file-system calls layer unpacking needs and java.nio lacks: mknod, lchown, chmod with the
 * setuid/setgid/sticky bits, lsetxattr/lgetxattr, utimensat without following symlinks.
 *
 * <p>Kept here until the {@code native} module offers them ({@code dev.kona.linux.fs}); the downcall
 * handles come from {@link Libc#errnoCapturing}, so the restricted FFM calls stay in {@code native}.
 * Every call throws {@link NativeCallException} naming the call, the path and errno.
 */
public final class FsCalls {

  public static final int S_IFIFO = 0010000;
  public static final int S_IFCHR = 0020000;
  public static final int S_IFBLK = 0060000;

  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;

  private static final MethodHandle MKNOD =
      Libc.errnoCapturing(
          "mknod", FunctionDescriptor.of(Libc.C_INT, Libc.C_POINTER, Libc.C_INT, Libc.C_LONG));
  private static final MethodHandle LCHOWN =
      Libc.errnoCapturing(
          "lchown", FunctionDescriptor.of(Libc.C_INT, Libc.C_POINTER, Libc.C_INT, Libc.C_INT));
  private static final MethodHandle CHMOD =
      Libc.errnoCapturing("chmod", FunctionDescriptor.of(Libc.C_INT, Libc.C_POINTER, Libc.C_INT));
  private static final MethodHandle LSETXATTR =
      Libc.errnoCapturing(
          "lsetxattr",
          FunctionDescriptor.of(
              Libc.C_INT, Libc.C_POINTER, Libc.C_POINTER, Libc.C_POINTER, Libc.C_LONG, Libc.C_INT));
  private static final MethodHandle LGETXATTR =
      Libc.errnoCapturing(
          "lgetxattr",
          FunctionDescriptor.of(Libc.C_LONG, Libc.C_POINTER, Libc.C_POINTER, Libc.C_POINTER, Libc.C_LONG));
  private static final MethodHandle GETXATTR =
      Libc.errnoCapturing(
          "getxattr",
          FunctionDescriptor.of(Libc.C_LONG, Libc.C_POINTER, Libc.C_POINTER, Libc.C_POINTER, Libc.C_LONG));
  private static final MethodHandle UTIMENSAT =
      Libc.errnoCapturing(
          "utimensat",
          FunctionDescriptor.of(Libc.C_INT, Libc.C_INT, Libc.C_POINTER, Libc.C_POINTER, Libc.C_INT));

  private FsCalls() {}

  /** glibc's makedev(3). */
  public static long makedev(long major, long minor) {
    return ((major & 0xfffff000L) << 32)
        | ((major & 0xfffL) << 8)
        | ((minor & 0xffffff00L) << 12)
        | (minor & 0xffL);
  }

  /** Creates a device node or fifo; {@code mode} includes the file type bits. */
  public static void mknod(Path path, int mode, long device) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Libc.newCallState(arena);
      int rc = (int) MKNOD.invokeExact(state, arena.allocateFrom(path.toString()), mode, device);
      check(rc, "mknod", path, state);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static void lchown(Path path, int uid, int gid) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Libc.newCallState(arena);
      int rc = (int) LCHOWN.invokeExact(state, arena.allocateFrom(path.toString()), uid, gid);
      check(rc, "lchown", path, state);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** chmod(2) with all twelve permission bits (setuid, setgid, sticky included). Follows symlinks. */
  public static void chmod(Path path, int mode) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Libc.newCallState(arena);
      int rc = (int) CHMOD.invokeExact(state, arena.allocateFrom(path.toString()), mode & 07777);
      check(rc, "chmod", path, state);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static void lsetxattr(Path path, String name, byte[] value) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Libc.newCallState(arena);
      MemorySegment data = arena.allocate(Math.max(1, value.length));
      MemorySegment.copy(value, 0, data, ValueLayout.JAVA_BYTE, 0, value.length);
      int rc =
          (int)
              LSETXATTR.invokeExact(
                  state, arena.allocateFrom(path.toString()), arena.allocateFrom(name), data, (long) value.length, 0);
      check(rc, "lsetxattr " + name, path, state);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** The value of an extended attribute, or null when the file has none of that name. */
  public static byte[] lgetxattr(Path path, String name) {
    return getxattr(LGETXATTR, "lgetxattr", path, name);
  }

  /**
   * As {@link #lgetxattr}, following a final symlink: for {@code /proc/self/fd/N} paths, which
   * name exactly the file descriptor N was opened on.
   */
  public static byte[] getxattr(Path path, String name) {
    return getxattr(GETXATTR, "getxattr", path, name);
  }

  private static byte[] getxattr(MethodHandle call, String callName, Path path, String name) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Libc.newCallState(arena);
      MemorySegment buffer = arena.allocate(65536);
      long n =
          (long)
              call.invokeExact(
                  state, arena.allocateFrom(path.toString()), arena.allocateFrom(name), buffer, buffer.byteSize());
      if (n < 0) {
        int errno = Libc.errno(state);
        if (errno == 61) { // ENODATA
          return null;
        }
        throw NativeCallException.of(callName + " " + name, path, errno);
      }
      return buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** Sets access and modification time without following a final symlink. */
  public static void lutimes(Path path, long epochSecond, int nanos) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Libc.newCallState(arena);
      MemorySegment times = arena.allocate(ValueLayout.JAVA_LONG, 4);
      for (int i = 0; i < 2; i++) {
        times.setAtIndex(ValueLayout.JAVA_LONG, 2L * i, epochSecond);
        times.setAtIndex(ValueLayout.JAVA_LONG, 2L * i + 1, nanos);
      }
      int rc =
          (int) UTIMENSAT.invokeExact(state, AT_FDCWD, arena.allocateFrom(path.toString()), times, AT_SYMLINK_NOFOLLOW);
      check(rc, "utimensat", path, state);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  private static void check(int rc, String call, Path path, MemorySegment state) {
    if (rc < 0) {
      throw NativeCallException.of(call, path, Libc.errno(state));
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException("native call failed", t);
  }
}
