package dev.kona.image.unpack;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InternalException;
import dev.kona.common.error.KonaException;
import dev.kona.image.content.Descriptor;
import dev.kona.image.content.DiskFull;
import dev.kona.image.content.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.List;

/**
 * Unpacks one layer blob into a snapshot directory and checks that the uncompressed stream has the
 * diff ID the image config promises.
 */
public final class LayerApplier {

  private LayerApplier() {}

  /** Returns {bytes, inodes} of what was written. */
  public static long[] apply(
      InputStream blob, Descriptor layer, Digest diffId, Path dir, java.util.function.Supplier<List<Path>> lowers) {
    MessageDigest digester = diffId.newDigester();
    LayerUnpacker.Usage usage;
    try (InputStream tar = new DigestInputStream(Decompression.open(blob, layer.mediaType()), digester)) {
      usage = new LayerUnpacker(dir, lowers).unpack(tar);
    } catch (KonaException e) {
      throw e.withContext("unpack layer " + layer.digest());
    } catch (IOException e) {
      if (DiskFull.is(e)) {
        throw DiskFull.error("unpack layer " + layer.digest(), dir, e);
      }
      throw new InternalException("unpack layer " + layer.digest() + ": " + e, e);
    }
    Digest actual = new Digest(diffId.algorithm(), java.util.HexFormat.of().formatHex(digester.digest()));
    if (!actual.equals(diffId)) {
      throw new FailedPreconditionException(
          "unpack layer " + layer.digest() + ": diff ID mismatch, the image config says " + diffId + ", the content is " + actual);
    }
    return new long[] {usage.bytes(), usage.inodes()};
  }
}
