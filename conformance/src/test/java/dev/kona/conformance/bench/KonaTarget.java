package dev.kona.conformance.bench;

import dev.kona.conformance.fixture.KonaDaemon;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
   * Mean time per step of each lifecycle operation, from Kona's own {@code kona_lifecycle_step_seconds}:
   * where the time of the figures above went. Keys are "operation / step", values milliseconds.
   */
  Map<String, Double> stepMeans() throws IOException, InterruptedException {
    HttpResponse<String> response;
    try (HttpClient http = HttpClient.newHttpClient()) {
      response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.metricsPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
    }
    Pattern sample = Pattern.compile(
        "kona_lifecycle_step_seconds_(sum|count)\\{operation=\"([a-z_]+)\",step=\"([a-z_]+)\"\\} (\\S+)");
    Map<String, double[]> sumAndCount = new TreeMap<>();
    for (String line : response.body().split("\n")) {
      Matcher m = sample.matcher(line);
      if (m.matches()) {
        double[] pair = sumAndCount.computeIfAbsent(m.group(2) + " / " + m.group(3), k -> new double[2]);
        pair[m.group(1).equals("sum") ? 0 : 1] = Double.parseDouble(m.group(4));
      }
    }
    Map<String, Double> means = new LinkedHashMap<>();
    sumAndCount.forEach((step, pair) -> means.put(step, pair[1] == 0 ? 0 : pair[0] / pair[1] * 1000));
    return means;
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
