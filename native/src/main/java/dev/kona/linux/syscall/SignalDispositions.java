package dev.kona.linux.syscall;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Signal dispositions a process inherits. A daemon started under {@code nohup} (or by a parent
 * that ignores SIGHUP) inherits SIGHUP as ignored, and the JVM then refuses to install a handler
 * for it: {@code sun.misc.Signal.handle} silently keeps it ignored. Kona resets it to the default
 * first, as Go daemons do by installing their own handler, so SIGHUP reloads wherever Kona runs.
 */
public final class SignalDispositions {
  private static final MethodHandle SIGNAL = Libc.plain("signal",
      FunctionDescriptor.of(Libc.C_POINTER, Libc.C_INT, Libc.C_POINTER));

  private SignalDispositions() {}

  /** Sets {@code signal} to its default action (SIG_DFL), so that a handler can be installed next. */
  public static void reset(Signal signal) {
    try {
      MemorySegment previous = (MemorySegment) SIGNAL.invokeExact(signal.number(), MemorySegment.NULL);
      if (previous.address() == -1L) { // SIG_ERR
        throw new IllegalStateException("signal(" + signal + ", SIG_DFL) failed");
      }
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("signal(" + signal + ", SIG_DFL)", t);
    }
  }
}
