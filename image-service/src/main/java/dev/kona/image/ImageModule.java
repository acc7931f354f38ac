package dev.kona.image;

import dev.kona.image.cri.ImageServiceEndpoint;
import io.grpc.BindableService;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;

/**
 * The image service as the daemon assembles it: owns the image store under {@code <state_root>/images}
 * and serves the CRI ImageService. Open once at start-up, close at shutdown. The runtime service
 * uses {@link #images()} for image lookup, rootfs plans and usage.
 */
public final class ImageModule implements AutoCloseable {

  private final ImageService images;
  private final ImageServiceEndpoint endpoint;

  private ImageModule(ImageService images) {
    this.images = images;
    this.endpoint = new ImageServiceEndpoint(images);
  }

  public static ImageModule open(ImageConfig config, Path stateRoot, MeterRegistry meters) {
    return open(config, stateRoot, java.util.Optional.empty(), meters);
  }

  /**
   * @param containersRoot where the containers' writable layers live when apart from the images
   *     ({@code containers_root}); empty for {@code <state_root>/images/containers}
   */
  public static ImageModule open(
      ImageConfig config, Path stateRoot, java.util.Optional<Path> containersRoot, MeterRegistry meters) {
    return new ImageModule(
        ImageService.open(config, stateRoot.resolve("images"), containersRoot, new ImageMetrics(meters)));
  }

  public Path root() {
    return images.root();
  }

  /** The engine: pull, find, remove, prepareRootfs/releaseRootfs, usage. */
  public ImageService images() {
    return images;
  }

  public BindableService criService() {
    return endpoint;
  }

  @Override
  public void close() {
    images.close();
  }
}
