package dev.kona.conformance.bench;

import com.github.luben.zstd.ZstdInputStream;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.PullImageRequest;
import dev.kona.cri.api.v1.RemoveImageRequest;
import dev.kona.linux.zip.IsalGzipInputStream;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;

/**
 * The big-image pull benchmark: the {@link BigImages} (≥ 1 GiB, gzip and zstd) pulled cold by Kona
 * and by containerd (with and without {@code unpigz}), back to back, several rounds; and this
 * machine's floor for the same bytes. Each run: sync and drop the page cache, PullImage, then a pod
 * and a container of the image started; the image removed afterwards so the next run is cold again.
 */
final class BigPulls {

  /** One cold pull: wall time, the daemon's CPU time (with reaped children: unpigz), time until running. */
  record Run(double pullSeconds, double cpuSeconds, double runningSeconds) {}

  /** What each measured configuration gives: its name and its runs per image. */
  private final Map<String, Map<String, List<Run>>> runs = new LinkedHashMap<>();
  private final Path logRoot;

  BigPulls(Path logRoot) {
    this.logRoot = logRoot;
  }

  /** One cold pull and start of {@code image} on {@code target}, then the pod and image removed. */
  Run measure(String config, CriTarget target, String image, String label) throws Exception {
    dropCaches();
    ImageSpec spec = ImageSpec.newBuilder().setImage(image).build();
    long cpu0 = cpuTicks(target.daemonPid());
    long t0 = System.nanoTime();
    try {
      target.images().withDeadlineAfter(30, java.util.concurrent.TimeUnit.MINUTES)
          .pullImage(PullImageRequest.newBuilder().setImage(spec).build());
    } catch (StatusRuntimeException e) {
      throw new IllegalStateException(config + ": pull " + image + ": " + e.getStatus(), e);
    }
    long t1 = System.nanoTime();
    long cpu1 = cpuTicks(target.daemonPid());
    Workloads pods = new Workloads(target, image, image, logRoot, BenchSettings.QUICK);
    String pod = pods.runPod("big", false);
    String container = pods.createContainer(pod, "big", "big");
    pods.startContainer(container);
    long t2 = System.nanoTime();
    target.removeAllPods();
    target.images().removeImage(RemoveImageRequest.newBuilder().setImage(spec).build());
    Run run = new Run((t1 - t0) / 1e9, (cpu1 - cpu0) / (double) CLOCK_TICKS, (t2 - t0) / 1e9);
    runs.computeIfAbsent(config, k -> new LinkedHashMap<>()).computeIfAbsent(label, k -> new ArrayList<>()).add(run);
    System.err.printf(Locale.ROOT, "[big pulls] %s %s: pull %.2f s, CPU %.2f s, running after %.2f s%n",
        config, label, run.pullSeconds(), run.cpuSeconds(), run.runningSeconds());
    return run;
  }

  private static final int CLOCK_TICKS = 100; // USER_HZ on Linux

  /** utime + stime + cutime + cstime of a process, in clock ticks. */
  static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // fields 14..17 of proc(5), counted from the state (field 3) at index 0
    return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
  }

  static void dropCaches() throws IOException, InterruptedException {
    new ProcessBuilder("sync").inheritIO().start().waitFor();
    try {
      Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3");
    } catch (IOException e) {
      System.err.println("[big pulls] page cache not dropped: " + e.getMessage());
    }
  }

  /** The machine's floor for the image's bytes, each part measured on its own. */
  record Floor(double fetchSeconds, double fetchMiBs, double inflatePerCoreMiBs, double jdkInflatePerCoreMiBs,
      double inflateSeconds, double diskMiBs, double diskSeconds) {
    double seconds() {
      return Math.max(fetchSeconds, Math.max(inflateSeconds, diskSeconds));
    }
  }

  /**
   * Loopback HTTP: every layer fetched at once from the registry, cold. Inflate: the biggest layer
   * inflated on one core (ISA-L for gzip where present, else zlib; zstd-jni's libzstd), from the
   * page cache; the image's floor is its biggest layer or its total spread over the cores, whichever
   * takes longer. Disk: its uncompressed bytes written in 1 MiB blocks and fsynced. The floor is the
   * slowest of the three: a pull that overlaps them all perfectly cannot beat it.
   */
  static Floor floor(String registryHost, String repository, BigImages.Image image, Path scratch) throws Exception {
    dropCaches();
    HttpClient http = HttpClient.newHttpClient();
    long t0 = System.nanoTime();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Long>> fetched = new ArrayList<>();
      for (BigImages.Layer layer : image.layers()) {
        fetched.add(pool.submit(() -> {
          HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(
              URI.create("http://" + registryHost + "/v2/" + repository + "/blobs/" + layer.digest())).build(),
              HttpResponse.BodyHandlers.ofInputStream());
          try (InputStream in = r.body()) {
            return in.transferTo(OutputStream.nullOutputStream());
          }
        }));
      }
      for (int i = 0; i < fetched.size(); i++) {
        if (fetched.get(i).get() != image.layers().get(i).size()) {
          throw new IllegalStateException("fetch of layer " + i + " returned the wrong size");
        }
      }
    }
    double fetchSeconds = (System.nanoTime() - t0) / 1e9;
    BigImages.Layer biggest = image.layers().stream().max(Comparator.comparingLong(BigImages.Layer::tarSize)).orElseThrow();
    Files.readAllBytes(biggest.file()); // into the page cache: the inflate rate alone
    double best = inflateRate(biggest, image.compression(), true);
    double jdk = image.compression() == BigImages.Compression.GZIP ? inflateRate(biggest, image.compression(), false) : best;
    int cores = Runtime.getRuntime().availableProcessors();
    double inflateSeconds = Math.max(biggest.tarSize(), image.tarSize() / (double) cores) / (best * 1048576);
    Path file = scratch.resolve("disk-rate");
    long bytes = image.tarSize();
    ByteBuffer block = ByteBuffer.allocateDirect(1 << 20);
    long d0 = System.nanoTime();
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (long written = 0; written < bytes; written += block.capacity()) {
        block.clear();
        while (block.hasRemaining()) {
          out.write(block);
        }
      }
      out.force(true);
    } finally {
      Files.deleteIfExists(file);
    }
    double diskSeconds = (System.nanoTime() - d0) / 1e9;
    return new Floor(fetchSeconds, image.compressedSize() / 1048576.0 / fetchSeconds, best, jdk, inflateSeconds,
        bytes / 1048576.0 / diskSeconds, diskSeconds);
  }

  /** MiB/s of tar out of one core inflating {@code layer}. */
  private static double inflateRate(BigImages.Layer layer, BigImages.Compression compression, boolean native_) throws IOException {
    long t0 = System.nanoTime();
    long n;
    try (InputStream file = Files.newInputStream(layer.file());
        InputStream in = compression == BigImages.Compression.ZSTD ? new ZstdInputStream(file)
            : native_ && IsalGzipInputStream.supported() ? new IsalGzipInputStream(file) : new GZIPInputStream(file, 1 << 16)) {
      n = in.transferTo(OutputStream.nullOutputStream());
    }
    if (n != layer.tarSize()) {
      throw new IllegalStateException("inflated " + n + " bytes of " + layer.tarSize());
    }
    return n / 1048576.0 / ((System.nanoTime() - t0) / 1e9);
  }

  /** Median of a list of doubles. */
  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** The Markdown section: images, floor, medians per configuration, ratios run by run. */
  String markdown(Map<String, BigImages.Image> images, Map<String, Floor> floors, int rounds, String load) {
    StringBuilder md = new StringBuilder("\n## Big-image pulls (cold, page cache dropped before each run)\n\n");
    images.forEach((label, image) -> md.append(String.format(Locale.ROOT,
        "- %s: %d layers, %.0f MiB compressed, %.0f MiB uncompressed (biggest layer %.0f MiB), from Debian packages%n",
        label, image.layers().size(), image.compressedSize() / 1048576.0, image.tarSize() / 1048576.0,
        image.layers().stream().mapToLong(BigImages.Layer::tarSize).max().orElse(0) / 1048576.0)));
    md.append(String.format(Locale.ROOT, "- %d rounds, configurations back to back in each round; medians below. %s%n%n", rounds, load));
    md.append("| image | runtime | PullImage s | CPU s | running after s | pull / floor |\n|---|---|---:|---:|---:|---:|\n");
    for (String label : images.keySet()) {
      Floor floor = floors.get(label);
      runs.forEach((config, byImage) -> {
        List<Run> list = byImage.get(label);
        if (list == null) {
          return;
        }
        double pull = median(list.stream().map(Run::pullSeconds).toList());
        md.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f | %.2f |%n", label, config, pull,
            median(list.stream().map(Run::cpuSeconds).toList()), median(list.stream().map(Run::runningSeconds).toList()),
            pull / floor.seconds()));
      });
    }
    md.append("\nThe machine's floor for these bytes:\n\n| image | loopback fetch | inflate per core (best; JDK zlib) | disk write | floor s |\n|---|---:|---:|---:|---:|\n");
    floors.forEach((label, f) -> md.append(String.format(Locale.ROOT,
        "| %s | %.0f MiB/s (%.2f s) | %.0f; %.0f MiB/s (%.2f s) | %.0f MiB/s (%.2f s) | %.2f |%n", label, f.fetchMiBs(),
        f.fetchSeconds(), f.inflatePerCoreMiBs(), f.jdkInflatePerCoreMiBs(), f.inflateSeconds(), f.diskMiBs(), f.diskSeconds(),
        f.seconds())));
    Map<String, List<Run>> kona = runs.get("Kona");
    if (kona != null) {
      md.append("\nKona's PullImage time / the other's, round by round (below 1: Kona is faster):\n\n");
      runs.forEach((config, byImage) -> {
        if (config.equals("Kona")) {
          return;
        }
        byImage.forEach((label, list) -> {
          List<Run> ours = kona.get(label);
          if (ours == null) {
            return;
          }
          List<String> ratios = new ArrayList<>();
          for (int i = 0; i < Math.min(ours.size(), list.size()); i++) {
            ratios.add(String.format(Locale.ROOT, "%.2f", ours.get(i).pullSeconds() / list.get(i).pullSeconds()));
          }
          md.append("- ").append(label).append(", Kona / ").append(config).append(": ").append(String.join(", ", ratios)).append('\n');
        });
      });
    }
    return md.toString();
  }

  /** Debian's pigz unpacked (not installed) into the cache: a directory holding unpigz for containerd's PATH. */
  static Path unpigzDir() throws IOException, InterruptedException {
    Path dir = BigImages.CACHE.resolve("pigz");
    Path bin = dir.resolve("usr/bin");
    if (Files.isExecutable(bin.resolve("unpigz"))) {
      return bin;
    }
    Files.createDirectories(dir);
    Process download = new ProcessBuilder("apt-get", "download", "-q", "pigz").directory(dir.toFile()).inheritIO().start();
    if (download.waitFor() != 0) {
      throw new IllegalStateException("apt-get download pigz failed");
    }
    try (var debs = Files.list(dir)) {
      Path deb = debs.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst().orElseThrow();
      if (new ProcessBuilder("dpkg-deb", "-x", deb.toString(), dir.toString()).inheritIO().start().waitFor() != 0) {
        throw new IllegalStateException("dpkg-deb -x " + deb + " failed");
      }
    }
    if (!Files.isExecutable(bin.resolve("unpigz"))) {
      throw new IllegalStateException("no unpigz in Debian's pigz under " + bin);
    }
    return bin;
  }
}
