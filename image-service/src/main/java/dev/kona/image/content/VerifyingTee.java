package dev.kona.image.content;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.KonaException;
import dev.kona.common.error.UnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/**
 * An input stream over a blob download that writes every byte it passes on into an ingest file and
 * its digest, refusing more bytes than the descriptor promises. A broken source surfaces as
 * UNAVAILABLE naming how far it got.
 */
final class VerifyingTee extends InputStream {

  private final Descriptor expected;
  private final Path temp;
  private final InputStream source;
  private final FileChannel out;
  private final MessageDigest digester;
  private final LongConsumer progress;
  private long received;

  VerifyingTee(Descriptor expected, InputStream source, Path temp, LongConsumer progress) throws IOException {
    this.expected = expected;
    this.temp = temp;
    this.source = source;
    this.out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    this.digester = expected.digest().newDigester();
    this.progress = progress;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n;
    try {
      n = source.read(buffer, offset, length);
    } catch (IOException e) {
      throw broken(e);
    }
    if (n <= 0) {
      return n;
    }
    received += n;
    if (received > expected.size()) {
      throw new FailedPreconditionException(
          "verify blob " + expected.digest() + ": size mismatch, expected " + expected.size() + " bytes, got more than that");
    }
    digester.update(buffer, offset, n);
    ByteBuffer chunk = ByteBuffer.wrap(buffer, offset, n);
    try {
      while (chunk.hasRemaining()) {
        out.write(chunk);
      }
    } catch (IOException e) {
      // a full disk is this store's failure, not the reader's: report it as such, naming the filesystem
      if (DiskFull.is(e)) {
        throw DiskFull.error("store blob " + expected.digest(), temp.getParent(), e);
      }
      throw e;
    }
    progress.accept(n);
    return n;
  }

  /** Reads what the consumer left, so the digest covers the whole blob. */
  void drain() throws IOException {
    transferTo(OutputStream.nullOutputStream());
  }

  /** Checks size and digest and syncs the ingest file; FAILED_PRECONDITION on a mismatch. */
  void verify() throws IOException {
    if (received != expected.size()) {
      throw new FailedPreconditionException(
          "verify blob " + expected.digest() + ": size mismatch, expected " + expected.size() + " bytes, got " + received
              + " (truncated)");
    }
    Digest actual = new Digest(expected.digest().algorithm(), HexFormat.of().formatHex(digester.digest()));
    if (!actual.equals(expected.digest())) {
      throw new FailedPreconditionException("verify blob " + expected.digest() + ": digest mismatch, got " + actual);
    }
    out.force(true);
  }

  /**
   * The error to report when the consumer failed: a digest mismatch if the rest of the blob shows
   * one (corrupt bytes break decompressors before the digest can tell), else the consumer's own.
   */
  RuntimeException rootCause(Exception consumerFailure) {
    if (!(consumerFailure instanceof UnavailableException)) {
      try {
        drain();
        verify();
      } catch (FailedPreconditionException mismatch) {
        mismatch.addSuppressed(consumerFailure);
        return mismatch;
      } catch (IOException | RuntimeException ignored) {
        // the consumer's error is the one to report
      }
    }
    if (consumerFailure instanceof RuntimeException r) {
      return r;
    }
    return broken((IOException) consumerFailure);
  }

  private KonaException broken(IOException e) {
    return new UnavailableException(
        "receive blob " + expected.digest() + ": stream broke after " + received + " of " + expected.size() + " bytes ("
            + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
        e);
  }

  /** Consumers close the streams they read; the ingest file stays open until {@link #closeFile}. */
  @Override
  public void close() {}

  void closeFile() throws IOException {
    out.close();
  }
}
