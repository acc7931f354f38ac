package dev.kona.conformance.bench;

import dev.kona.conformance.fixture.KonaDaemon;
import java.io.IOException;
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
        "--cni.conf_dir=" + cniConfDir, "--log.level=warn", "--metrics.enabled=false"));
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
