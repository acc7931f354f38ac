package dev.kona.image.unpack;

import com.github.luben.zstd.ZstdInputStream;
import dev.kona.common.error.FailedPreconditionException;
import dev.kona.image.manifest.MediaTypes;
import dev.kona.linux.zip.IsalGzipInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Opens a layer blob as its uncompressed tar: gzip, zstd or plain, by media type and magic bytes. */
public final class Decompression {

  private Decompression() {}

  public static InputStream open(InputStream blob, String mediaType) throws IOException {
    BufferedInputStream in = new BufferedInputStream(blob, 256 * 1024);
    in.mark(4);
    byte[] magic = in.readNBytes(4);
    in.reset();
    boolean gzip = magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
    boolean zstd =
        magic.length == 4
            && (magic[0] & 0xff) == 0x28
            && (magic[1] & 0xff) == 0xb5
            && (magic[2] & 0xff) == 0x2f
            && (magic[3] & 0xff) == 0xfd;
    MediaTypes.Compression declared = MediaTypes.compressionOf(mediaType);
    if (declared == MediaTypes.Compression.UNKNOWN && !gzip && !zstd && !mediaType.isEmpty()
        && !mediaType.contains("tar")) {
      throw new FailedPreconditionException("open layer: media type \"" + mediaType + "\" is not a layer Kona can unpack");
    }
    if (gzip) {
      // ISA-L's igzip where the host has libisal2 (~3x zlib's rate per core); else the JDK's zlib
      return IsalGzipInputStream.supported() ? new IsalGzipInputStream(in) : new GZIPInputStream(in, 64 * 1024);
    }
    if (zstd) {
      return new ZstdInputStream(in);
    }
    return in;
  }
}
