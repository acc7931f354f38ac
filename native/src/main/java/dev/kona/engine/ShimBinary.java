package dev.kona.engine;

import dev.kona.common.error.InternalException;
import dev.kona.common.fs.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where the {@code kona-shim} executable is. The build puts it on the classpath at
 * {@value #RESOURCE}; {@link #install} copies it out once per content (the file name carries a digest
 * prefix, so monitors of an older build keep their executable). The system property
 * {@value #PROPERTY} names an executable to use instead.
 */
public final class ShimBinary {
  public static final String PROPERTY = "kona.shim.path";
  static final String RESOURCE = "/dev/kona/engine/kona-shim";

  private ShimBinary() {}

  /** The configured executable, or the packaged one installed under {@code dir}. */
  public static Path locate(Path dir) {
    String configured = System.getProperty(PROPERTY);
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured);
      if (!Files.isExecutable(path)) {
        throw new InternalException("locate kona-shim: " + PROPERTY + "=" + path + " is not an executable file");
      }
      return path;
    }
    return install(dir);
  }

  /** Copies the packaged executable to {@code dir/kona-shim-<digest>} unless it is already there. */
  public static Path install(Path dir) {
    byte[] bytes;
    try (InputStream in = ShimBinary.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new InternalException("install kona-shim: resource " + RESOURCE + " is missing from the classpath (was native built with gcc?)");
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new InternalException("install kona-shim: read resource " + RESOURCE, e);
    }
    Path target = dir.resolve("kona-shim-" + HexFormat.of().formatHex(sha256(bytes), 0, 6));
    if (Files.isExecutable(target)) {
      return target;
    }
    try {
      Files.createDirectories(dir);
      AtomicFile.write(target, bytes, AtomicFile.EXECUTABLE);
      return target;
    } catch (IOException e) {
      throw new InternalException("install kona-shim into " + dir, e);
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
