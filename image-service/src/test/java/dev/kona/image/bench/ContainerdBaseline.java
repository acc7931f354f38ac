package dev.kona.image.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The same pulls through containerd, where it is installed (Debian's {@code containerd}): a private
 * containerd (own root, state and socket under a temp dir, CRI plugin off) and {@code ctr images pull},
 * which fetches and unpacks into the overlayfs snapshotter. Stopped by its PID afterwards.
 */
final class ContainerdBaseline implements AutoCloseable {

  static final Path BINARY = Path.of("/usr/bin/containerd");

  private final Path dir;
  private final Process daemon;

  private ContainerdBaseline(Path dir, Process daemon) {
    this.dir = dir;
    this.daemon = daemon;
  }

  static boolean available() {
    return Files.isExecutable(BINARY) && Files.isExecutable(Path.of("/usr/bin/ctr"));
  }

  static ContainerdBaseline start() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("kona-bench-containerd-");
    Files.writeString(
        dir.resolve("config.toml"),
        "version = 2\n"
            + "root = \"" + dir.resolve("root") + "\"\n"
            + "state = \"" + dir.resolve("state") + "\"\n"
            + "disabled_plugins = [\"io.containerd.grpc.v1.cri\"]\n"
            + "[grpc]\n  address = \"" + dir.resolve("containerd.sock") + "\"\n"
            + "[ttrpc]\n  address = \"" + dir.resolve("containerd.sock.ttrpc") + "\"\n");
    Process daemon =
        new ProcessBuilder(BINARY.toString(), "--config", dir.resolve("config.toml").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("containerd.log").toFile())
            .start();
    ContainerdBaseline baseline = new ContainerdBaseline(dir, daemon);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!Files.exists(dir.resolve("containerd.sock"))) {
      if (!daemon.isAlive() || System.nanoTime() > deadline) {
        baseline.close();
        throw new IllegalStateException("containerd did not start: " + Files.readString(dir.resolve("containerd.log")));
      }
      Thread.sleep(50);
    }
    return baseline;
  }

  /** Seconds {@code ctr images pull} took. */
  double pull(String reference) throws IOException, InterruptedException {
    long start = System.nanoTime();
    Process ctr =
        new ProcessBuilder(
                List.of("/usr/bin/ctr", "--address", dir.resolve("containerd.sock").toString(), "-n", "bench",
                    "images", "pull", "--plain-http", reference))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("ctr.log").toFile())
            .start();
    if (ctr.waitFor() != 0) {
      throw new IllegalStateException("ctr pull failed: " + Files.readString(dir.resolve("ctr.log")));
    }
    return (System.nanoTime() - start) / 1e9;
  }

  String peakRss() throws IOException {
    return Files.readAllLines(Path.of("/proc", Long.toString(daemon.pid()), "status")).stream()
        .filter(l -> l.startsWith("VmHWM"))
        .findFirst()
        .orElse("VmHWM unknown")
        .replaceAll("\\s+", " ");
  }

  @Override
  public void close() throws IOException, InterruptedException {
    daemon.destroy();
    if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
      daemon.destroyForcibly().waitFor();
    }
    new ProcessBuilder("rm", "-rf", dir.toString()).inheritIO().start().waitFor();
  }

  /** Prints containerd's figures and returns its cold pull seconds (NaN without containerd). */
  static double compare(String host) throws Exception {
    if (!available()) {
      System.out.println("containerd not installed: no baseline (apt-get install -y containerd)");
      return Double.NaN;
    }
    try (ContainerdBaseline containerd = start()) {
      double cold = containerd.pull(host + "/bench/big:1");
      double shared = containerd.pull(host + "/bench/derived:1");
      System.out.printf(Locale.ROOT, "containerd 1.6 (ctr pull, overlayfs): cold pull %.2f s, pull sharing base layers %.2f s, peak RSS of containerd: %s%n",
          cold, shared, containerd.peakRss());
      return cold;
    }
  }
}
