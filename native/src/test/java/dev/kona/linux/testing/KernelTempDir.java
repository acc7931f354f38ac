package dev.kona.linux.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Temp dirs with a recognisable prefix, so {@link NoLeaks} can tell this module's kernel test
 * mounts from those of other test JVMs running on the same machine. Use as
 * {@code @TempDir(factory = KernelTempDir.class)}.
 */
public final class KernelTempDir implements TempDirFactory {
  public static final String PREFIX = "kona-linux-test-";

  @Override
  public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context)
      throws Exception {
    return Files.createTempDirectory(PREFIX);
  }
}
