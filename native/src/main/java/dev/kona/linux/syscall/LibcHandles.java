package dev.kona.linux.syscall;

import static dev.kona.linux.syscall.Libc.C_INT;
import static dev.kona.linux.syscall.Libc.C_LONG;
import static dev.kona.linux.syscall.Libc.C_POINTER;
import static dev.kona.linux.syscall.Libc.errnoCapturing;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/**
 * The downcall handles behind {@link LinuxSyscalls}, each taking the errno call-state segment
 * first. Variadic C prototypes ({@code open}, {@code prctl}, {@code syscall}) are declared so.
 */
final class LibcHandles {
  // Syscall numbers shared by x86_64 and aarch64 (the unified table from 5.x on).
  static final long SYS_PIDFD_SEND_SIGNAL = 424;
  static final long SYS_PIDFD_OPEN = 434;
  static final long SYS_OPENAT2 = 437;

  static final MethodHandle MOUNT = errnoCapturing("mount",
      FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_POINTER, C_LONG, C_POINTER));
  static final MethodHandle UMOUNT2 = errnoCapturing("umount2",
      FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
  static final MethodHandle UNSHARE = errnoCapturing("unshare", FunctionDescriptor.of(C_INT, C_INT));
  static final MethodHandle CHDIR = errnoCapturing("chdir", FunctionDescriptor.of(C_INT, C_POINTER));
  static final MethodHandle SETNS = errnoCapturing("setns", FunctionDescriptor.of(C_INT, C_INT, C_INT));
  static final MethodHandle GETPID = Libc.plain("getpid", FunctionDescriptor.of(C_INT));
  static final MethodHandle GETTID = Libc.plain("gettid", FunctionDescriptor.of(C_INT));
  static final MethodHandle KILL = errnoCapturing("kill", FunctionDescriptor.of(C_INT, C_INT, C_INT));
  static final MethodHandle SYSCALL4 = errnoCapturing("syscall",
      FunctionDescriptor.of(C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG),
      Linker.Option.firstVariadicArg(1));
  static final MethodHandle SYSCALL5 = errnoCapturing("syscall",
      FunctionDescriptor.of(C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG),
      Linker.Option.firstVariadicArg(1));
  static final MethodHandle WAITID = errnoCapturing("waitid",
      FunctionDescriptor.of(C_INT, C_INT, C_INT, C_POINTER, C_INT));
  static final MethodHandle POLL = errnoCapturing("poll",
      FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_INT));
  static final MethodHandle PRCTL = errnoCapturing("prctl",
      FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_LONG, C_LONG, C_LONG),
      Linker.Option.firstVariadicArg(1));
  static final MethodHandle OPEN = errnoCapturing("open",
      FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT), Linker.Option.firstVariadicArg(2));
  static final MethodHandle CLOSE = errnoCapturing("close", FunctionDescriptor.of(C_INT, C_INT));
  static final MethodHandle READ = errnoCapturing("read",
      FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));
  static final MethodHandle WRITE = errnoCapturing("write",
      FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));
  static final MethodHandle MKNOD = errnoCapturing("mknod",
      FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_LONG));
  static final MethodHandle MKFIFO = errnoCapturing("mkfifo",
      FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
  static final MethodHandle STATFS = errnoCapturing("statfs",
      FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER));
  static final MethodHandle EVENTFD = errnoCapturing("eventfd",
      FunctionDescriptor.of(C_INT, C_INT, C_INT));
  static final MethodHandle MEMFD_CREATE = errnoCapturing("memfd_create",
      FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
  static final MethodHandle LSETXATTR = errnoCapturing("lsetxattr",
      FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_POINTER, C_LONG, C_INT));
  static final MethodHandle LGETXATTR = errnoCapturing("lgetxattr",
      FunctionDescriptor.of(C_LONG, C_POINTER, C_POINTER, C_POINTER, C_LONG));
  static final MethodHandle LLISTXATTR = errnoCapturing("llistxattr",
      FunctionDescriptor.of(C_LONG, C_POINTER, C_POINTER, C_LONG));

  static final MethodHandle SETHOSTNAME = errnoCapturing("sethostname",
      FunctionDescriptor.of(C_INT, C_POINTER, C_LONG));
  static final MethodHandle SOCKET = errnoCapturing("socket",
      FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT));
  static final MethodHandle IOCTL = errnoCapturing("ioctl",
      FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_POINTER), Linker.Option.firstVariadicArg(2));

  static final MethodHandle CONNECT = errnoCapturing("connect",
      FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT));
  static final MethodHandle SHUTDOWN = errnoCapturing("shutdown",
      FunctionDescriptor.of(C_INT, C_INT, C_INT));

  static final MethodHandle BIND = errnoCapturing("bind",
      FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT));
  static final MethodHandle LISTEN = errnoCapturing("listen",
      FunctionDescriptor.of(C_INT, C_INT, C_INT));
  static final MethodHandle ACCEPT4 = errnoCapturing("accept4",
      FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER, C_INT));
  static final MethodHandle RECVMSG = errnoCapturing("recvmsg",
      FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT));

  private LibcHandles() {}
}
