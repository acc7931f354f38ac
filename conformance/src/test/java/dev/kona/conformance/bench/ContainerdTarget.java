package dev.kona.conformance.bench;

import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.conformance.fixture.NodeCgroups;
import dev.kona.cri.api.v1.VersionRequest;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's containerd with runc, started by the benchmark on its own socket, root and state
 * directories, pulling only from the loopback registry and using the same CNI config as Kona, so
 * both runtimes do the same work on the same node. It never touches a system containerd.
 */
final class ContainerdTarget extends CriTarget {

  static final Path BINARY = Path.of("/usr/bin/containerd");

  private final Process process;
  private final Path root;

  private ContainerdTarget(Process process, Path root) {
    super("containerd", root.resolve("containerd.sock"));
    this.process = process;
    this.root = root;
  }

  static boolean installed() {
    return Files.isExecutable(BINARY) && Files.isExecutable(Path.of("/usr/sbin/runc"));
  }

  /** Starts containerd under {@code root}; its sandbox (pause) image is {@code sandboxImage}. */
  static ContainerdTarget start(Path root, String registryHost, String sandboxImage, Path cniConfDir)
      throws IOException, InterruptedException {
    return start(root, registryHost, sandboxImage, cniConfDir, null);
  }

  /**
   * As {@link #start(Path, String, String, Path)}; containerd inflates gzip layers with the first
   * {@code unpigz} on its PATH: {@code unpigzDir} (a directory holding one) is put first on its PATH,
   * and with null every directory holding an {@code unpigz} is left out, so it uses Go's gzip.
   */
  static ContainerdTarget start(Path root, String registryHost, String sandboxImage, Path cniConfDir, Path unpigzDir)
      throws IOException, InterruptedException {
    Files.createDirectories(root);
    writeRegistryHosts(root.resolve("certs.d"), registryHost);
    Path config = root.resolve("config.toml");
    Files.writeString(config, config(root, sandboxImage, cniConfDir));
    ProcessBuilder builder = new ProcessBuilder(BINARY.toString(), "--config", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("containerd.log").toFile()));
    // Pulls go straight to the loopback registry, never through a proxy.
    List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "NO_PROXY", "no_proxy")
        .forEach(builder.environment()::remove);
    String path = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":"))
        .filter(dir -> !dir.isEmpty() && !Files.exists(Path.of(dir, "unpigz")))
        .collect(java.util.stream.Collectors.joining(":"));
    builder.environment().put("PATH", unpigzDir == null ? path : unpigzDir + ":" + path);
    Process process = builder.start();
    ContainerdTarget target = new ContainerdTarget(process, root);
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    target.awaitReady();
    return target;
  }

  private void awaitReady() throws InterruptedException, IOException {
    long tries = 300 * Math.round(Math.max(1, KonaDaemon.TIMEOUT_SCALE)); // under TCG (the test node) 5 times longer
    for (long i = 0; i < tries; i++) {
      if (!process.isAlive()) {
        throw new IllegalStateException("containerd exited with " + process.exitValue() + "; see " + root.resolve("containerd.log"));
      }
      if (Files.exists(root.resolve("containerd.sock"))) {
        try {
          runtime().withDeadlineAfter(2, TimeUnit.SECONDS).version(VersionRequest.getDefaultInstance());
          return;
        } catch (StatusRuntimeException notYet) {
          // the CRI plugin is still loading
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("containerd did not answer Version in " + tries / 10 + " s; see " + root.resolve("containerd.log"));
  }

  /**
   * containerd 1.6's own settings for this node: the cgroup driver Kona is given (cgroupfs on a host
   * without systemd; on the test node systemd, runc's {@code SystemdCgroup = true} as kubeadm's
   * nodes have it), oom_score_adj clamped (this machine cannot lower it), streaming on loopback, CNI
   * from the shared config dir.
   */
  private static String config(Path root, String sandboxImage, Path cniConfDir) {
    String cri = "plugins.\"io.containerd.grpc.v1.cri\"";
    return String.join("\n",
        "version = 2",
        "root = \"" + root.resolve("root") + "\"",
        "state = \"" + root.resolve("state") + "\"",
        "[grpc]",
        "  address = \"" + root.resolve("containerd.sock") + "\"",
        "[ttrpc]",
        "  address = \"" + root.resolve("containerd.sock.ttrpc") + "\"",
        "[plugins.\"io.containerd.internal.v1.opt\"]",
        "  path = \"" + root.resolve("opt") + "\"",
        "[" + cri + "]",
        "  sandbox_image = \"" + sandboxImage + "\"",
        "  stream_server_address = \"127.0.0.1\"",
        "  stream_server_port = \"0\"",
        "  restrict_oom_score_adj = true",
        "[" + cri + ".containerd]",
        "  snapshotter = \"overlayfs\"",
        "  default_runtime_name = \"runc\"",
        "[" + cri + ".containerd.runtimes.runc]",
        "  runtime_type = \"io.containerd.runc.v2\"",
        "[" + cri + ".containerd.runtimes.runc.options]",
        "  BinaryName = \"/usr/sbin/runc\"",
        "  SystemdCgroup = " + NodeCgroups.systemdDriver(),
        "[" + cri + ".cni]",
        "  bin_dir = \"/usr/lib/cni\"",
        "  conf_dir = \"" + cniConfDir + "\"",
        "  max_conf_num = 1",
        "[" + cri + ".registry]",
        "  config_path = \"" + root.resolve("certs.d") + "\"",
        "");
  }

  /** The loopback registry over plain HTTP, with no fallback to any other host. */
  private static void writeRegistryHosts(Path certsDir, String registryHost) throws IOException {
    Path dir = Files.createDirectories(certsDir.resolve(registryHost));
    String url = "http://" + registryHost;
    Files.writeString(dir.resolve("hosts.toml"),
        "server = \"" + url + "\"\n[host.\"" + url + "\"]\n  capabilities = [\"pull\", \"resolve\"]\n");
  }

  @Override
  long daemonPid() {
    return process.pid();
  }

  @Override
  long daemonRss() throws IOException {
    return ProcessTable.read().rss(process.pid());
  }

  @Override
  long helperRss(String workloadCommand) throws IOException {
    String address = root.resolve("containerd.sock").toString();
    return ProcessTable.read().helperRss(
        p -> p.cmdline().contains("containerd-shim") && p.cmdline().contains(address),
        p -> p.cmdline().equals(workloadCommand));
  }

  @Override
  void shutDown() throws Exception {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
