package dev.kona.image;

import dev.kona.image.cri.ImageServiceEndpoint;
import io.grpc.BindableService;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The image service as the daemon assembles it: owns the image store under {@code <state_root>/images}
 * and serves the CRI ImageService. Open once at start-up, close at shutdown.
 */
public final class ImageModule implements AutoCloseable {

  private final Path root;
  private final ImageServiceEndpoint endpoint;

  private ImageModule(Path root) {
    this.root = root;
    this.endpoint = new ImageServiceEndpoint(root);
  }

  public static ImageModule open(ImageConfig config, Path stateRoot, MeterRegistry meters) {
    Path root = stateRoot.resolve("images");
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException("create image store " + root, e);
    }
    return new ImageModule(root);
  }

  public Path root() {
    return root;
  }

  public BindableService criService() {
    return endpoint;
  }

  @Override
  public void close() {}
}
