package dev.kona.image.bench;

import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.ImageStatusRequest;
import dev.kona.cri.api.v1.ListImagesRequest;
import dev.kona.image.ImageConfig;
import dev.kona.image.ImageMetrics;
import dev.kona.image.ImageService;
import dev.kona.image.cri.ImageServiceEndpoint;
import dev.kona.image.ref.ImageReference;
import dev.kona.image.registry.Credentials;
import dev.kona.image.testing.BuiltImage;
import dev.kona.image.testing.LayerBuilder;
import dev.kona.image.testing.LocalRegistry;
import dev.kona.image.testing.TestImageServices;
import dev.kona.image.testing.TestImages;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Prints pull and lookup figures (never asserts timings). The parent builds a multi-layer image of
 * more than 200 MB from this machine's /usr/bin, /usr/share/doc and /usr/share/locale (plus busybox), a derived image that
 * shares its base layers, and 500 small images; pushes them to a local docker-registry; then runs
 * the pulls in a child JVM that holds only the image service, so that the child's peak RSS is what
 * a daemon would need. Where containerd is installed, the same two pulls go through a private
 * containerd first ({@link ContainerdBaseline}) for comparison.
 *
 * <p>Run: {@code ./mvnw -pl image-service test-compile exec:exec@bench} (as root).
 */
public final class PullBenchmark {

  private static final int SMALL_IMAGES = 500;
  private static final String KONA_COLD = "KONA_COLD_SECONDS=";

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child(args[1], Path.of(args[2]));
      return;
    }
    try (LocalRegistry registry = LocalRegistry.anonymous().open()) {
      long start = System.nanoTime();
      List<byte[]> tars =
          List.of(
              TestImages.busyboxBase().tar(),
              new LayerBuilder().hostTree("usr/bin", Path.of("/usr/bin")).tar(),
              new LayerBuilder().hostTree("usr/share/doc", Path.of("/usr/share/doc")).tar(),
              new LayerBuilder().hostTree("usr/share/locale", Path.of("/usr/share/locale")).tar());
      TestImages.Builder big = TestImages.builder().label("bench");
      TestImages.Builder shared = TestImages.builder().label("derived");
      for (byte[] tar : tars) {
        big.layerTar(tar, TestImages.Compression.GZIP);
        shared.layerTar(tar, TestImages.Compression.GZIP);
      }
      BuiltImage image = big.build();
      BuiltImage derived = shared.layer(new LayerBuilder().file("app/config", "derived", 0644)).build();
      long uncompressed = tars.stream().mapToLong(t -> t.length).sum();
      registry.pusher().push("bench/big", "1", image);
      registry.pusher().push("bench/derived", "1", derived);
      var base = TestImages.busyboxBase().tar();
      for (int i = 0; i < SMALL_IMAGES; i++) {
        registry.pusher().push("bench/small-" + i, "1", TestImages.builder().layerTar(base, TestImages.Compression.GZIP).label("small " + i).build());
      }
      System.out.printf(Locale.ROOT, "setup: built and pushed in %.1f s; big image %d layers, %.1f MB compressed, %.1f MB uncompressed%n",
          (System.nanoTime() - start) / 1e9, image.layers().size(), image.compressedSize() / 1e6, uncompressed / 1e6);
      Path root = Files.createTempDirectory("kona-bench-");
      double containerdCold = ContainerdBaseline.compare(registry.host());
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "--enable-native-access=ALL-UNNAMED",
                  "-cp", System.getProperty("java.class.path"),
                  PullBenchmark.class.getName(), "--child", registry.host(), root.toString())
              .redirectErrorStream(true)
              .start();
      double konaCold = Double.NaN;
      try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          System.out.println(line);
          if (line.startsWith(KONA_COLD)) {
            konaCold = Double.parseDouble(line.substring(KONA_COLD.length()));
          }
        }
      }
      int rc = child.waitFor();
      if (!Double.isNaN(containerdCold) && !Double.isNaN(konaCold)) {
        System.out.printf(Locale.ROOT, "cold pull, containerd time / Kona time: %.2f (goal: >= 1.5)%n", containerdCold / konaCold);
      }
      new ProcessBuilder("rm", "-rf", root.toString()).inheritIO().start().waitFor();
      if (rc != 0) {
        throw new IllegalStateException("benchmark child exited " + rc);
      }
    }
  }

  private static void child(String host, Path root) throws Exception {
    ImageConfig config = TestImageServices.insecure(host);
    try (ImageService images = ImageService.open(config, root.resolve("images"), new ImageMetrics(new SimpleMeterRegistry()))) {
      // a running daemon has pulled before: the small images warm the JIT on the pull path first
      long start = System.nanoTime();
      for (int i = 0; i < SMALL_IMAGES; i++) {
        images.pull(ImageReference.parse(host + "/bench/small-" + i + ":1"), Credentials.NONE);
      }
      System.out.printf(Locale.ROOT, "%d small images (shared layer) pulled in %.1f s%n", SMALL_IMAGES, (System.nanoTime() - start) / 1e9);
      ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.kona.image.pull")).setLevel(ch.qos.logback.classic.Level.INFO);
      System.out.printf(Locale.ROOT, "%s%.3f%n", KONA_COLD, pull(images, host + "/bench/big:1", "cold pull"));
      pull(images, host + "/bench/derived:1", "pull sharing base layers");
      ImageServiceEndpoint endpoint = new ImageServiceEndpoint(images);
      ListImagesRequest list = ListImagesRequest.getDefaultInstance();
      report("ListImages (" + images.list().size() + " images)", 300, () -> endpoint.listImages(list, sink()));
      ImageStatusRequest status =
          ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(host + "/bench/small-250:1")).build();
      report("ImageStatus by tag", 2000, () -> endpoint.imageStatus(status, sink()));
    }
    System.out.println("peak RSS of the image service JVM: " + peakRss());
  }

  private static double pull(ImageService images, String name, String what) {
    long before = images.imageFsUsage().bytes();
    long start = System.nanoTime();
    var record = images.pull(ImageReference.parse(name), Credentials.NONE);
    double seconds = (System.nanoTime() - start) / 1e9;
    long stored = images.imageFsUsage().bytes() - before;
    System.out.printf(Locale.ROOT,
        "%s: %.2f s, image %.1f MB compressed (%.1f MB/s), %.1f MB newly stored (blobs + unpacked, %.1f MB/s)%n",
        what, seconds, record.size() / 1e6, record.size() / 1e6 / seconds, stored / 1e6, stored / 1e6 / seconds);
    return seconds;
  }

  private static void report(String what, int calls, Runnable call) {
    for (int i = 0; i < 50; i++) {
      call.run();
    }
    long[] nanos = new long[calls];
    for (int i = 0; i < calls; i++) {
      long start = System.nanoTime();
      call.run();
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    System.out.printf(Locale.ROOT, "%s: p50 %.3f ms, p99 %.3f ms, max %.3f ms over %d calls%n",
        what, nanos[calls / 2] / 1e6, nanos[calls * 99 / 100] / 1e6, nanos[calls - 1] / 1e6, calls);
  }

  private static <T> StreamObserver<T> sink() {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {}

      @Override
      public void onError(Throwable t) {
        throw new IllegalStateException(t);
      }

      @Override
      public void onCompleted() {}
    };
  }

  private static String peakRss() throws Exception {
    List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("/proc/self/status")));
    return lines.stream().filter(l -> l.startsWith("VmHWM")).findFirst().orElse("VmHWM unknown").replaceAll("\\s+", " ");
  }
}
