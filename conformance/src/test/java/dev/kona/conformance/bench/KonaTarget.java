package dev.kona.conformance.bench;

import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.conformance.observe.PrometheusScrape;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.nio.file.Path;

/** A Kona daemon built from this checkout ({@code bin/kona}), on its own socket and directories. */
final class KonaTarget extends CriTarget {

  private final KonaDaemon daemon;

  private KonaTarget(KonaDaemon daemon) {
    super("Kona", daemon.socket());
    this.daemon = daemon;
  }

  /** Starts Kona under {@code root}, pulling from {@code registryHost} over plain HTTP, pods on {@code cniConfDir}'s network. */
  static KonaTarget start(Path root, String registryHost, Path cniConfDir) throws IOException, InterruptedException {
    String config = "[images.registries.\"" + registryHost + "\"]\ninsecure = true\n";
    // Figures, not debugging: per-call logging at info would add its own cost to every call.
    return new KonaTarget(KonaDaemon.startWithConfig(root, config,
        "--cni.conf_dir=" + cniConfDir, "--log.level=warn"));
  }

  /**
   * As {@link #start(Path, String, Path)} with extra JVM options for the daemon (KONA_JAVA_OPTS),
   * such as {@code -Dkona.isal=false}: the JDK's zlib instead of ISA-L, Kona's pulls before ISA-L.
   */
  static KonaTarget start(Path root, String registryHost, Path cniConfDir, String javaOpts) throws IOException, InterruptedException {
    java.nio.file.Files.createDirectories(root);
    Path config = root.resolve("kona.toml");
    java.nio.file.Files.writeString(config, "[images.registries.\"" + registryHost + "\"]\ninsecure = true\n");
    return new KonaTarget(KonaDaemon.start(root, Map.of("KONA_JAVA_OPTS", javaOpts),
        "--config=" + config, "--cni.conf_dir=" + cniConfDir, "--log.level=warn"));
  }

  /**
   * Mean time per step of each lifecycle operation, from Kona's own {@code kona_lifecycle_step_seconds}:
   * where the time of the figures above went. Keys are "operation / step", values milliseconds.
   */
  Map<String, Double> stepMeans() throws IOException, InterruptedException {
    Map<String, double[]> sumAndCount = new TreeMap<>();
    for (PrometheusScrape.Sample sample : PrometheusScrape.scrape(daemon.metricsPort()).samples()) {
      boolean sum = sample.name().equals("kona_lifecycle_step_seconds_sum");
      if (sum || sample.name().equals("kona_lifecycle_step_seconds_count")) {
        String step = sample.labels().get("operation") + " / " + sample.labels().get("step");
        sumAndCount.computeIfAbsent(step, k -> new double[2])[sum ? 0 : 1] = sample.value();
      }
    }
    Map<String, Double> means = new LinkedHashMap<>();
    sumAndCount.forEach((step, pair) -> means.put(step, pair[1] == 0 ? 0 : pair[0] / pair[1] * 1000));
    return means;
  }

  long pid() {
    return daemon.pid();
  }

  @Override
  long daemonPid() {
    return daemon.pid();
  }

  @Override
  long daemonRss() throws IOException {
    return ProcessTable.read().rss(daemon.pid());
  }

  @Override
  long helperRss(String workloadCommand) throws IOException {
    String runRoot = daemon.root().resolve("run").toString();
    return ProcessTable.read().helperRss(
        p -> p.pid() != daemon.pid() && p.cmdline().contains("kona-shim") && p.cmdline().contains(runRoot),
        p -> p.cmdline().equals(workloadCommand));
  }

  @Override
  void shutDown() throws Exception {
    daemon.close();
  }
}
