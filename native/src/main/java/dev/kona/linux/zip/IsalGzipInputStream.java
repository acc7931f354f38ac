package dev.kona.linux.zip;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.ZipException;

/**
 * A gzip stream inflated by ISA-L's igzip ({@code libisal.so.2}, Debian's {@code libisal2}): about
 * three times zlib's rate per core, which is what a pull of a big gzip image waits for. It reads
 * what {@link java.util.zip.GZIPInputStream} reads, with the same failures: several members one
 * after the other are one stream; bytes after a member that do not start another are ignored; a
 * stream that ends inside a member is an {@link EOFException}; corrupt data, a bad header or a CRC or
 * length that does not match is a {@link ZipException}. {@link #supported()} says whether the host has
 * the library; callers fall back to the JDK's inflater when it does not.
 *
 * <p>The inflate state (87 KiB) and the two buffers are native memory owned by this stream's arena,
 * freed by {@link #close()}. Not thread-safe, as no InputStream is.
 */
public final class IsalGzipInputStream extends InputStream {

  /** {@code -Dkona.isal=false} (in KONA_JAVA_OPTS) turns ISA-L off, as on a host without libisal2. */
  private static final Optional<Functions> LIBISAL =
      Boolean.parseBoolean(System.getProperty("kona.isal", "true"))
          ? Functions.load().filter(IsalGzipInputStream::inflatesAsTheJdk)
          : Optional.empty();

  // struct inflate_state of ISA-L 2.30 (igzip_lib.h), x86-64: the fields this stream reads or sets.
  // Another build of libisal.so.2 may lay it out otherwise: the state gets ample room beyond 2.30's
  // 87,368 bytes, so a larger struct cannot overrun it, and the library is used only after a
  // two-member stream inflated at load gives the JDK's bytes, so wrong offsets mean the JDK's inflater.
  private static final long STATE_BYTES = 256 * 1024;
  private static final long NEXT_OUT = 0;
  private static final long AVAIL_OUT = 8;
  private static final long NEXT_IN = 16;
  private static final long AVAIL_IN = 32;
  private static final long BLOCK_STATE = 21_160;
  private static final long CRC_FLAG = 21_172;
  private static final long TMP_OUT_VALID = 21_208;
  private static final long TMP_OUT_PROCESSED = 21_212;
  private static final int ISAL_GZIP = 1;
  private static final int ISAL_BLOCK_FINISH = 5;
  private static final int ISAL_INCORRECT_CHECKSUM = -6;

  private static final int IN_BYTES = 256 * 1024;
  private static final int OUT_BYTES = 256 * 1024;

  private final InputStream source;
  private final Functions f;
  private final Arena arena = Arena.ofConfined();
  private final MemorySegment state;
  private final MemorySegment in;
  private final MemorySegment out;
  private final byte[] chunk = new byte[IN_BYTES];
  private final byte[] one = new byte[1];
  /** Bytes of {@link #out} inflated and not yet handed out: [outStart, outEnd). */
  private int outStart;
  private int outEnd;
  private boolean sourceEnded;
  private boolean finished;
  private boolean closed;

  /** True when the host has ISA-L's inflater. */
  public static boolean supported() {
    return LIBISAL.isPresent();
  }

  /** Opens {@code source} (gzip bytes) for inflating; fails when {@link #supported()} is false. */
  public IsalGzipInputStream(InputStream source) {
    this(source, LIBISAL.orElseThrow(() -> new IllegalStateException("libisal.so.2 with isal_inflate not found")));
  }

  private IsalGzipInputStream(InputStream source, Functions f) {
    this.source = Objects.requireNonNull(source);
    this.f = f;
    this.state = arena.allocate(STATE_BYTES, 64);
    this.in = arena.allocate(IN_BYTES, 64);
    this.out = arena.allocate(OUT_BYTES, 64);
    startMember(0);
  }

  /** Resets the state for a member whose first {@code pending} bytes are at the start of {@link #in}. */
  private void startMember(int pending) {
    call(f.init(), state);
    state.set(ValueLayout.JAVA_INT, CRC_FLAG, ISAL_GZIP);
    state.set(ValueLayout.ADDRESS, NEXT_IN, in);
    state.set(ValueLayout.JAVA_INT, AVAIL_IN, pending);
  }

  @Override
  public int read() throws IOException {
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, buffer.length);
    if (closed) {
      throw new IOException("Stream closed");
    }
    if (length == 0) {
      return 0;
    }
    while (outStart == outEnd) {
      if (finished) {
        return -1;
      }
      inflateSome();
    }
    int n = Math.min(length, outEnd - outStart);
    MemorySegment.copy(out, ValueLayout.JAVA_BYTE, outStart, buffer, offset, n);
    outStart += n;
    return n;
  }

  /** One isal_inflate call into the empty output buffer, reading more input first if it needs it. */
  private void inflateSome() throws IOException {
    int availIn = state.get(ValueLayout.JAVA_INT, AVAIL_IN);
    if (availIn == 0 && !sourceEnded && !pendingOutput()) {
      availIn = refill(0);
    }
    state.set(ValueLayout.ADDRESS, NEXT_OUT, out);
    state.set(ValueLayout.JAVA_INT, AVAIL_OUT, OUT_BYTES);
    int rc = call(f.inflate(), state);
    if (rc < 0) {
      throw new ZipException(rc == ISAL_INCORRECT_CHECKSUM ? "Corrupt GZIP trailer" : "invalid gzip data (isal_inflate " + rc + ")");
    }
    outStart = 0;
    outEnd = OUT_BYTES - state.get(ValueLayout.JAVA_INT, AVAIL_OUT);
    if (state.get(ValueLayout.JAVA_INT, BLOCK_STATE) == ISAL_BLOCK_FINISH) {
      nextMember();
    } else if (outEnd == 0 && state.get(ValueLayout.JAVA_INT, AVAIL_IN) == 0 && sourceEnded && !pendingOutput()) {
      throw new EOFException("Unexpected end of ZLIB input stream");
    }
  }

  /** True while ISA-L holds inflated bytes in its own buffer that the next call hands out. */
  private boolean pendingOutput() {
    return state.get(ValueLayout.JAVA_INT, TMP_OUT_VALID) > state.get(ValueLayout.JAVA_INT, TMP_OUT_PROCESSED);
  }

  /**
   * After a member's trailer: another member when the next bytes are a gzip header, as
   * GZIPInputStream reads them; anything else ends the stream.
   */
  private void nextMember() throws IOException {
    int left = state.get(ValueLayout.JAVA_INT, AVAIL_IN);
    long at = state.get(ValueLayout.ADDRESS, NEXT_IN).address() - in.address();
    if (left > 0 && at > 0) {
      MemorySegment.copy(in, at, in, 0, left); // keep the rest at the buffer's start
    }
    while (left < 2 && !sourceEnded) {
      left = refill(left);
    }
    if (left >= 2 && (in.get(ValueLayout.JAVA_BYTE, 0) & 0xff) == 0x1f && (in.get(ValueLayout.JAVA_BYTE, 1) & 0xff) == 0x8b) {
      startMember(left);
    } else {
      finished = true;
    }
  }

  /** Reads more gzip bytes after the {@code kept} ones at the start of the input buffer; returns the total. */
  private int refill(int kept) throws IOException {
    int n = source.read(chunk, 0, IN_BYTES - kept);
    if (n < 0) {
      sourceEnded = true;
      n = 0;
    }
    MemorySegment.copy(chunk, 0, in, ValueLayout.JAVA_BYTE, kept, n);
    state.set(ValueLayout.ADDRESS, NEXT_IN, in);
    state.set(ValueLayout.JAVA_INT, AVAIL_IN, kept + n);
    return kept + n;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      source.close();
    } finally {
      arena.close();
    }
  }

  /** The load-time check: two gzip members of more than one buffer each come out as written. */
  private static boolean inflatesAsTheJdk(Functions f) {
    try {
      byte[] plain = new byte[3 * OUT_BYTES / 2];
      for (int i = 0; i < plain.length; i++) {
        plain[i] = (byte) (i * 31 / 7 ^ i >>> 9);
      }
      java.io.ByteArrayOutputStream gzip = new java.io.ByteArrayOutputStream();
      for (int member = 0; member < 2; member++) {
        try (var z = new java.util.zip.GZIPOutputStream(gzip) {
          @Override public void close() throws IOException {
            finish(); // the member only: gzip stays open for the next one
          }
        }) {
          z.write(plain);
        }
      }
      byte[] inflated;
      try (IsalGzipInputStream in = new IsalGzipInputStream(new java.io.ByteArrayInputStream(gzip.toByteArray()), f)) {
        inflated = in.readAllBytes();
      }
      byte[] expected = new byte[2 * plain.length];
      System.arraycopy(plain, 0, expected, 0, plain.length);
      System.arraycopy(plain, 0, expected, plain.length, plain.length);
      return java.util.Arrays.equals(inflated, expected);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static int call(MethodHandle handle, MemorySegment state) {
    try {
      return (int) handle.invokeExact(state);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** isal_inflate_init (void, taken as returning int: the value is ignored) and isal_inflate. */
  private record Functions(MethodHandle init, MethodHandle inflate) {

    static Optional<Functions> load() {
      try {
        SymbolLookup lib = SymbolLookup.libraryLookup("libisal.so.2", Arena.global());
        Linker linker = Linker.nativeLinker();
        MethodHandle initVoid = linker.downcallHandle(lib.findOrThrow("isal_inflate_init"),
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        MethodHandle init = java.lang.invoke.MethodHandles.filterReturnValue(initVoid,
            java.lang.invoke.MethodHandles.constant(int.class, 0));
        MethodHandle inflate = linker.downcallHandle(lib.findOrThrow("isal_inflate"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        return Optional.of(new Functions(init, inflate));
      } catch (IllegalArgumentException | java.util.NoSuchElementException e) {
        return Optional.empty(); // no libisal.so.2 on this host
      }
    }
  }
}
