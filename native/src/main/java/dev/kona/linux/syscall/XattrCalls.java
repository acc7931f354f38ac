package dev.kona.linux.syscall;

import static dev.kona.linux.syscall.LibcHandles.LGETXATTR;
import static dev.kona.linux.syscall.LibcHandles.LLISTXATTR;
import static dev.kona.linux.syscall.LibcHandles.LSETXATTR;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The extended-attribute calls of {@link LinuxSyscalls}, never following symlinks. */
final class XattrCalls {
  private XattrCalls() {}

  static void lsetxattr(String path, String name, byte[] value, int flags) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      MemorySegment v = a.allocateFrom(ValueLayout.JAVA_BYTE, value);
      int rc = (int) LSETXATTR.invokeExact(st, a.allocateFrom(path), a.allocateFrom(name), v,
          (long) value.length, flags);
      LinuxSyscalls.check(rc, st, "lsetxattr", path + " " + name);
    } catch (Throwable t) {
      throw LinuxSyscalls.rethrow(t);
    }
  }

  static byte[] lgetxattr(String path, String name) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      MemorySegment p = a.allocateFrom(path);
      MemorySegment n = a.allocateFrom(name);
      long size = (long) LGETXATTR.invokeExact(st, p, n, MemorySegment.NULL, 0L);
      if (size < 0 && Libc.errno(st) == Errno.ENODATA.number()) {
        return null;
      }
      LinuxSyscalls.check(size, st, "lgetxattr", path + " " + name);
      MemorySegment buf = a.allocate(Math.max(size, 1));
      long rc = (long) LGETXATTR.invokeExact(st, p, n, buf, size);
      LinuxSyscalls.check(rc, st, "lgetxattr", path + " " + name);
      return buf.asSlice(0, rc).toArray(ValueLayout.JAVA_BYTE);
    } catch (Throwable t) {
      throw LinuxSyscalls.rethrow(t);
    }
  }

  static List<String> llistxattr(String path) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = Libc.newCallState(a);
      MemorySegment p = a.allocateFrom(path);
      long size = (long) LLISTXATTR.invokeExact(st, p, MemorySegment.NULL, 0L);
      LinuxSyscalls.check(size, st, "llistxattr", path);
      MemorySegment buf = a.allocate(Math.max(size, 1));
      long rc = (long) LLISTXATTR.invokeExact(st, p, buf, size);
      LinuxSyscalls.check(rc, st, "llistxattr", path);
      List<String> names = new ArrayList<>();
      for (long off = 0; off < rc; ) {
        String name = buf.getString(off);
        names.add(name);
        off += name.getBytes(StandardCharsets.UTF_8).length + 1;
      }
      return names;
    } catch (Throwable t) {
      throw LinuxSyscalls.rethrow(t);
    }
  }
}
