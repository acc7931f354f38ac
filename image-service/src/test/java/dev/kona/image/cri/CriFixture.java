package dev.kona.image.cri;

import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.ImageStatusRequest;
import dev.kona.cri.api.v1.ImageStatusResponse;
import dev.kona.cri.api.v1.PullImageRequest;
import dev.kona.image.ImageService;
import dev.kona.image.testing.LocalRegistry;
import dev.kona.image.testing.TestImageServices;
import java.nio.file.Path;

/** An image service and its CRI endpoint over a local registry, for the per-RPC tests. */
final class CriFixture implements AutoCloseable {

  final ImageService images;
  final ImageServiceEndpoint endpoint;
  final LocalRegistry registry;

  CriFixture(Path root, LocalRegistry registry) {
    this(root, java.util.Optional.empty(), registry);
  }

  /** With the containers' writable layers under {@code containersRoot} (a split image filesystem). */
  CriFixture(Path root, java.util.Optional<Path> containersRoot, LocalRegistry registry) {
    this.registry = registry;
    this.images = ImageService.open(TestImageServices.insecure(registry.host()), root, containersRoot,
        new dev.kona.image.ImageMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
    this.endpoint = new ImageServiceEndpoint(images);
  }

  String name(String repositoryAndTag) {
    return registry.host() + "/" + repositoryAndTag;
  }

  String pull(String repositoryAndTag) {
    return Calls.call(
            endpoint::pullImage,
            PullImageRequest.newBuilder().setImage(spec(name(repositoryAndTag))).build())
        .getImageRef();
  }

  ImageStatusResponse status(String image, boolean verbose) {
    return Calls.call(endpoint::imageStatus, ImageStatusRequest.newBuilder().setImage(spec(image)).setVerbose(verbose).build());
  }

  static ImageSpec spec(String image) {
    return ImageSpec.newBuilder().setImage(image).build();
  }

  @Override
  public void close() {
    images.close();
  }
}
