package dev.kona.image.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.ErrorKind;
import dev.kona.common.error.KonaException;
import dev.kona.cri.api.v1.PullImageRequest;
import dev.kona.image.ImageConfig;
import dev.kona.image.ImageService;
import dev.kona.image.testing.BuiltImage;
import dev.kona.image.testing.CountingProxy;
import dev.kona.image.testing.LayerBuilder;
import dev.kona.image.testing.LocalRegistry;
import dev.kona.image.testing.SocketFaultProxy;
import dev.kona.image.testing.TestImageServices;
import dev.kona.image.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * PullImage against a real registry on loopback with a fault on the layer's blob, from a front the
 * test controls: a TCP reset mid-blob, a truncated blob, a registry that stops sending (after the
 * headers, or before any byte) for longer than {@code images.progress_timeout_seconds}, and a blob
 * whose bytes do not match its digest. Each pull fails with the kind the CRI server answers as the
 * gRPC status (ErrorMapper maps each kind to the code of the same name) and a message naming the
 * layer's digest; the image root then holds no image, no partial blob and no snapshot; and the same
 * pull, the fault spent, succeeds.
 */
class PullImageFaultsTest {

  private static final int PROGRESS_TIMEOUT_SECONDS = 2;

  @RegisterExtension static LocalRegistry registry = LocalRegistry.anonymous();

  static BuiltImage image;

  @TempDir Path temp;
  private ImageService images;
  private ImageServiceEndpoint endpoint;
  private AutoCloseable front;

  @BeforeAll
  static void push() {
    byte[] data = new byte[1 << 20];
    new Random(7).nextBytes(data); // incompressible: the blob is a MiB, so every fault lands mid-body
    image =
        TestImages.builder()
            .layer(new LayerBuilder().dir("data", 0755).file("data/blob", data, 0644, 0, 0), TestImages.Compression.GZIP)
            .build();
    registry.pusher().push("test/faults", "1", image);
  }

  @AfterEach
  void close() throws Exception {
    if (images != null) {
      images.close();
    }
    if (front != null) {
      front.close();
    }
  }

  private Path root() {
    return temp.resolve("images");
  }

  private String layerPath() {
    return "/blobs/" + image.layers().getFirst().digest();
  }

  private String open(String frontHost) {
    ImageConfig config = TestImageServices.insecure(frontHost).withProgressTimeoutSeconds(PROGRESS_TIMEOUT_SECONDS);
    images = TestImageServices.open(root(), config);
    endpoint = new ImageServiceEndpoint(images);
    return frontHost + "/test/faults:1";
  }

  private String pull(String name) {
    return Calls.call(
            endpoint::pullImage, PullImageRequest.newBuilder().setImage(CriFixture.spec(name)).build())
        .getImageRef();
  }

  @Test
  void pullImage_connectionResetMidBlob_isUnavailableNamingTheLayer_andARetrySucceeds() throws Exception {
    SocketFaultProxy proxy = new SocketFaultProxy(registry.url());
    front = proxy;
    String name = open(proxy.host());
    proxy.inject(new SocketFaultProxy.ResetAfter(layerPath(), 64 * 1024));
    assertFailsCleanly(name, ErrorKind.UNAVAILABLE);
  }

  @Test
  void pullImage_truncatedBlob_isUnavailableNamingTheLayer_andARetrySucceeds() throws Exception {
    CountingProxy proxy = new CountingProxy(registry.url());
    front = proxy;
    String name = open(proxy.host());
    proxy.inject(new CountingProxy.Truncate(layerPath(), 64 * 1024));
    assertFailsCleanly(name, ErrorKind.UNAVAILABLE);
  }

  @Test
  void pullImage_stallAfterTheHeaders_isDeadlineExceededNamingTheLayer_andARetrySucceeds() throws Exception {
    CountingProxy proxy = new CountingProxy(registry.url());
    front = proxy;
    String name = open(proxy.host());
    proxy.inject(new CountingProxy.Stall(layerPath(), 0, Duration.ofSeconds(30)));
    KonaException e = assertFailsCleanly(name, ErrorKind.DEADLINE_EXCEEDED);
    assertTrue(e.getMessage().contains("no progress for " + PROGRESS_TIMEOUT_SECONDS + " s"), e.getMessage());
  }

  @Test
  void pullImage_noAnswerAtAll_isDeadlineExceededNamingTheLayer_andARetrySucceeds() throws Exception {
    SocketFaultProxy proxy = new SocketFaultProxy(registry.url());
    front = proxy;
    String name = open(proxy.host());
    proxy.inject(new SocketFaultProxy.NoAnswer(layerPath()));
    KonaException e = assertFailsCleanly(name, ErrorKind.DEADLINE_EXCEEDED);
    assertTrue(e.getMessage().contains("no progress for " + PROGRESS_TIMEOUT_SECONDS + " s"), e.getMessage());
  }

  @Test
  void pullImage_digestMismatch_isFailedPreconditionNamingTheLayer_andARetrySucceeds() throws Exception {
    CountingProxy proxy = new CountingProxy(registry.url());
    front = proxy;
    String name = open(proxy.host());
    proxy.inject(new CountingProxy.Corrupt(layerPath()));
    KonaException e = assertFailsCleanly(name, ErrorKind.FAILED_PRECONDITION);
    assertTrue(e.getMessage().contains("digest mismatch"), e.getMessage());
  }

  private KonaException assertFailsCleanly(String name, ErrorKind kind) throws IOException {
    long start = System.nanoTime();
    KonaException e = assertThrows(KonaException.class, () -> pull(name));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    String message = e.getMessage();
    assertEquals(kind, e.kind(), message);
    assertTrue(message.contains("pull " + name), message);
    assertTrue(message.contains(image.layers().getFirst().digest().toString()), "names the layer: " + message);
    assertFalse(message.contains("java."), "no Java exception text: " + message);
    assertTrue(took.compareTo(Duration.ofSeconds(PROGRESS_TIMEOUT_SECONDS + 20)) < 0, "failed after " + took);

    assertTrue(images.list().isEmpty(), "no image recorded");
    assertEquals(List.of(), list(root().resolve("ingest")), "no partial blob");
    assertEquals(List.of(), list(root().resolve("snapshots")), "no snapshot");
    assertFalse(Files.exists(root().resolve("blobs/sha256").resolve(image.layers().getFirst().digest().hex())), "no layer blob");

    assertEquals(image.id().toString(), pull(name), "the same pull, the fault spent");
    assertEquals(1, images.list().size());
    return e;
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.toList();
    }
  }
}
