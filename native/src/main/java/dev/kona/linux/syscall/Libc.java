package dev.kona.linux.syscall;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The FFM entry into the C library. Every downcall made through {@link #errnoCapturing} takes a
 * call-state segment as its first argument, so errno is captured per call and never read from a
 * buffer another thread could overwrite.
 *
 * <pre>{@code
 * try (Arena arena = Arena.ofConfined()) {
 *   MemorySegment state = Libc.newCallState(arena);
 *   int rc = (int) UMOUNT2.invokeExact(state, arena.allocateFrom(path), flags);
 *   if (rc < 0) throw NativeCallException.of("umount2", path, Libc.errno(state));
 * }
 * }</pre>
 */
public final class Libc {

  public static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
  private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CALL_STATE.varHandle(PathElement.groupElement("errno"));

  public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
  public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
  public static final ValueLayout C_POINTER = ValueLayout.ADDRESS;

  private Libc() {}

  /** A downcall handle whose first parameter is the call-state segment that receives errno. */
  public static MethodHandle errnoCapturing(String symbol, FunctionDescriptor descriptor) {
    MemorySegment address =
        LOOKUP.find(symbol).orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + symbol));
    return LINKER.downcallHandle(address, descriptor, Linker.Option.captureCallState("errno"));
  }

  /**
   * As {@link #errnoCapturing(String, FunctionDescriptor)}, with more linker options, e.g.
   * {@code Linker.Option.firstVariadicArg(n)} for {@code open}, {@code prctl} and {@code syscall}.
   */
  public static MethodHandle errnoCapturing(
      String symbol, FunctionDescriptor descriptor, Linker.Option... options) {
    MemorySegment address =
        LOOKUP.find(symbol).orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + symbol));
    Linker.Option[] all = new Linker.Option[options.length + 1];
    all[0] = Linker.Option.captureCallState("errno");
    System.arraycopy(options, 0, all, 1, options.length);
    return LINKER.downcallHandle(address, descriptor, all);
  }

  /** A plain downcall, for functions that do not report through errno. */
  public static MethodHandle plain(String symbol, FunctionDescriptor descriptor) {
    MemorySegment address =
        LOOKUP.find(symbol).orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + symbol));
    return LINKER.downcallHandle(address, descriptor);
  }

  public static MemorySegment newCallState(java.lang.foreign.SegmentAllocator allocator) {
    return allocator.allocate(CALL_STATE);
  }

  public static int errno(MemorySegment callState) {
    return (int) ERRNO.get(callState, 0L);
  }
}
