package dev.kona.linux.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * SHA-256 digesters for image content. The daemon runs on C1 alone (see bin/kona), where the JDK's
 * SHA-256 is Java code at ~170 MiB/s; every pulled layer is hashed twice (blob and diff id), so a
 * 500 MiB image spent seconds of CPU hashing. The host's libcrypto (OpenSSL 3) uses the CPU's SHA
 * extensions, ~2 GiB/s here. Without libcrypto the JDK's digester is used.
 */
public final class Sha256 {

  private static final Optional<Functions> LIBCRYPTO = Functions.load();

  private Sha256() {}

  /** A fresh SHA-256 digester: libcrypto's when the host has it, the JDK's otherwise. */
  public static MessageDigest newDigest() {
    return LIBCRYPTO.<MessageDigest>map(Libcrypto::new).orElseGet(Sha256::jdk);
  }

  /** True when digests come from libcrypto. */
  public static boolean fromLibcrypto() {
    return LIBCRYPTO.isPresent();
  }

  static MessageDigest jdk() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without SHA-256", e);
    }
  }

  /** OpenSSL's one-shot SHA256_Init/Update/Final over a context this side allocates. */
  private record Functions(MethodHandle init, MethodHandle update, MethodHandle finish) {

    static Optional<Functions> load() {
      try {
        SymbolLookup lib = SymbolLookup.libraryLookup("libcrypto.so.3", Arena.global());
        Linker linker = Linker.nativeLinker();
        MethodHandle init = linker.downcallHandle(lib.findOrThrow("SHA256_Init"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        // Critical with heap access: the digest reads the caller's byte[] in place, no copy.
        MethodHandle update = linker.downcallHandle(lib.findOrThrow("SHA256_Update"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
            Linker.Option.critical(true));
        MethodHandle finish = linker.downcallHandle(lib.findOrThrow("SHA256_Final"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS),
            Linker.Option.critical(true));
        return Optional.of(new Functions(init, update, finish));
      } catch (IllegalArgumentException | java.util.NoSuchElementException e) {
        return Optional.empty(); // no libcrypto.so.3, or one without the SHA256_* entry points
      }
    }
  }

  private static final class Libcrypto extends MessageDigest {
    /** sizeof(SHA256_CTX) is 112; a little room for a different build. */
    private static final long CONTEXT_BYTES = 128;
    /** A critical call holds off the GC; this bounds each one to well under a millisecond. */
    private static final int MAX_SLICE = 256 * 1024;

    private final Functions f;
    private final MemorySegment context = Arena.ofAuto().allocate(CONTEXT_BYTES, 16);
    private final byte[] one = new byte[1];

    Libcrypto(Functions f) {
      super("SHA-256");
      this.f = f;
      engineReset();
    }

    @Override
    protected void engineUpdate(byte input) {
      one[0] = input;
      engineUpdate(one, 0, 1);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
      java.util.Objects.checkFromIndexSize(offset, len, input.length);
      MemorySegment all = MemorySegment.ofArray(input);
      for (int done = 0; done < len; ) {
        int n = Math.min(MAX_SLICE, len - done);
        call(f.update(), all.asSlice(offset + done, n), n);
        done += n;
      }
    }

    @Override
    protected byte[] engineDigest() {
      byte[] out = new byte[32];
      try {
        check((int) f.finish().invokeExact(MemorySegment.ofArray(out), context), "SHA256_Final");
      } catch (Throwable t) {
        throw rethrow(t);
      }
      engineReset();
      return out;
    }

    @Override
    protected void engineReset() {
      try {
        check((int) f.init().invokeExact(context), "SHA256_Init");
      } catch (Throwable t) {
        throw rethrow(t);
      }
    }

    @Override
    protected int engineGetDigestLength() {
      return 32;
    }

    private void call(MethodHandle update, MemorySegment data, long n) {
      try {
        check((int) update.invokeExact(context, data, n), "SHA256_Update");
      } catch (Throwable t) {
        throw rethrow(t);
      }
    }

    private static void check(int rc, String function) {
      if (rc != 1) {
        throw new IllegalStateException("libcrypto " + function + " failed");
      }
    }

    private static RuntimeException rethrow(Throwable t) {
      if (t instanceof RuntimeException r) {
        return r;
      }
      if (t instanceof Error e) {
        throw e;
      }
      return new IllegalStateException(t);
    }
  }
}
