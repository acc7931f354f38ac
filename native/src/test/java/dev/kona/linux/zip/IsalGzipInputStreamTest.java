package dev.kona.linux.zip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;

/** ISA-L's gzip inflater against the JDK's, on real gzip streams and on broken ones. */
class IsalGzipInputStreamTest {

  /** Real binaries and text from this host, as image layers carry them. */
  private static byte[] realContent() throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (String path : new String[] {"/usr/lib/x86_64-linux-gnu/libisal.so.2", "/bin/ls", "/etc/services", "/bin/bash"}) {
      all.write(Files.readAllBytes(Path.of(path)));
    }
    return all.toByteArray();
  }

  private static byte[] gzipWithJdk(byte[] content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 8192)) {
      gz.write(content);
    }
    return bytes.toByteArray();
  }

  /** The gzip(1) command's stream (a header with a name and mtime, as docker-built layers are not). */
  private static byte[] gzipWithCommand(byte[] content, String level) throws IOException, InterruptedException {
    Path file = Files.createTempFile("isal-test", ".bin");
    try {
      Files.write(file, content);
      Process gzip = new ProcessBuilder("gzip", level, "-c", file.toString()).start();
      byte[] out = gzip.getInputStream().readAllBytes();
      assertEquals(0, gzip.waitFor(), "gzip exit status");
      return out;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static byte[] readAll(InputStream in, Random chunks) throws IOException {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[300_000];
      while (true) {
        int n = in.read(buffer, 0, 1 + chunks.nextInt(buffer.length - 1));
        if (n < 0) {
          return out.toByteArray();
        }
        out.write(buffer, 0, n);
      }
    }
  }

  /** A source that hands out at most a few bytes per read, as a slow network does. */
  private static InputStream trickle(byte[] data, Random random) {
    return new FilterInputStream(new ByteArrayInputStream(data)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, 1 + random.nextInt(5000)));
      }
    };
  }

  private static void assertSameAsJdk(byte[] gzip) throws IOException {
    byte[] jdk = readAll(new GZIPInputStream(new ByteArrayInputStream(gzip)), new Random(1));
    byte[] isal = readAll(new IsalGzipInputStream(new ByteArrayInputStream(gzip)), new Random(2));
    assertArrayEquals(jdk, isal);
    byte[] trickled = readAll(new IsalGzipInputStream(trickle(gzip, new Random(3))), new Random(4));
    assertArrayEquals(jdk, trickled);
  }

  @Test
  void thisKindOfMachine_hasIsal() {
    // scripts/lib.sh installs libisal2 with the pull packages.
    assertTrue(IsalGzipInputStream.supported(), "libisal.so.2 not found");
  }

  @Test
  void realContent_fromGzipCommandAndJdk_inflatesAsTheJdk() throws Exception {
    byte[] content = realContent();
    assertSameAsJdk(gzipWithCommand(content, "-6"));
    assertSameAsJdk(gzipWithCommand(content, "-1"));
    assertSameAsJdk(gzipWithCommand(content, "-9"));
    assertSameAsJdk(gzipWithJdk(content));
    byte[] inflated = readAll(new IsalGzipInputStream(new ByteArrayInputStream(gzipWithJdk(content))), new Random(5));
    assertArrayEquals(content, inflated);
  }

  @Test
  void storedBlocksAndEmptyContent_inflateAsTheJdk() throws Exception {
    Deflater stored = new Deflater(Deflater.NO_COMPRESSION, true);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes) {
      { def.setLevel(Deflater.NO_COMPRESSION); }
    }) {
      gz.write(realContent(), 0, 200_000);
    }
    stored.end();
    assertSameAsJdk(bytes.toByteArray());
    assertSameAsJdk(gzipWithJdk(new byte[0]));
  }

  @Test
  void multiMemberStream_isOneStream() throws Exception {
    byte[] content = realContent();
    ByteArrayOutputStream members = new ByteArrayOutputStream();
    members.write(gzipWithJdk(Arrays.copyOfRange(content, 0, 100_000)));
    members.write(gzipWithCommand(Arrays.copyOfRange(content, 100_000, 900_000), "-6"));
    members.write(gzipWithJdk(new byte[0]));
    members.write(gzipWithJdk(Arrays.copyOfRange(content, 900_000, content.length)));
    byte[] inflated = readAll(new IsalGzipInputStream(trickle(members.toByteArray(), new Random(6))), new Random(7));
    assertArrayEquals(content, inflated);
    assertSameAsJdk(members.toByteArray());
  }

  @Test
  void bytesAfterTheLastMember_areIgnoredAsTheJdkDoes() throws Exception {
    byte[] gzip = gzipWithJdk("one member".getBytes());
    byte[] withTail = Arrays.copyOf(gzip, gzip.length + 7);
    Arrays.fill(withTail, gzip.length, withTail.length, (byte) 0);
    assertSameAsJdk(withTail);
  }

  @Test
  void truncatedStream_failsWithEofAsTheJdk() throws Exception {
    byte[] gzip = gzipWithCommand(realContent(), "-6");
    for (int cut : new int[] {0, 1, 5, 10, 11, 4096, gzip.length / 2, gzip.length - 9, gzip.length - 4, gzip.length - 1}) {
      byte[] truncated = Arrays.copyOf(gzip, cut);
      Class<? extends IOException> jdk = failure(() -> readAll(new GZIPInputStream(new ByteArrayInputStream(truncated)), new Random(8)));
      Class<? extends IOException> isal = failure(() -> readAll(new IsalGzipInputStream(new ByteArrayInputStream(truncated)), new Random(8)));
      assertEquals(EOFException.class, jdk, "the JDK at " + cut);
      assertEquals(jdk, isal, "cut at " + cut + " of " + gzip.length);
    }
  }

  @Test
  void corruptStream_failsWithZipExceptionAsTheJdk() throws Exception {
    byte[] gzip = gzipWithCommand(realContent(), "-6");
    int[] positions = {2 /* method */, gzip.length - 8 /* crc */, gzip.length - 2 /* length */, gzip.length / 3, gzip.length / 2};
    for (int at : positions) {
      byte[] corrupt = gzip.clone();
      corrupt[at] ^= 0x5a;
      Class<? extends IOException> jdk = failure(() -> readAll(new GZIPInputStream(new ByteArrayInputStream(corrupt)), new Random(9)));
      Class<? extends IOException> isal = failure(() -> readAll(new IsalGzipInputStream(new ByteArrayInputStream(corrupt)), new Random(9)));
      assertEquals(ZipException.class, jdk, "the JDK at " + at);
      assertEquals(jdk, isal, "byte " + at + " of " + gzip.length + " flipped");
    }
  }

  @Test
  void closedStream_refusesReads() throws Exception {
    IsalGzipInputStream in = new IsalGzipInputStream(new ByteArrayInputStream(gzipWithJdk("x".getBytes())));
    in.close();
    in.close();
    assertThrows(IOException.class, in::read);
  }

  private interface Read {
    void run() throws IOException;
  }

  private static Class<? extends IOException> failure(Read read) {
    IOException e = assertThrows(IOException.class, read::run);
    return e.getClass();
  }
}
