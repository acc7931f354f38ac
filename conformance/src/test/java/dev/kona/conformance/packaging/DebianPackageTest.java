package dev.kona.conformance.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.conformance.packaging.DebPackage.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package (packaging/deb/build.sh) on this host: its metadata and contents, and an install
 * into a throw-away Debian root (an overlay of this host's root on a tmpfs, so that the host's dpkg
 * database satisfies Depends and nothing reaches the host) with its maintainer scripts, the
 * installed daemon started from its own jlinked runtime and answering Version, and a purge that
 * keeps /var/lib/kona. systemd, the unit and an upgrade under a running pod: DebianPackageNodeTest
 * on the test node.
 */
class DebianPackageTest {

  static final String VERSION = "1.0.0~test1";

  @TempDir static Path out;
  static Path deb;

  @BeforeAll
  static void build() throws Exception {
    deb = DebPackage.build(out, VERSION);
  }

  @Test
  void package_namesItsVersionDependsAndConffile_andCarriesARuntimeWithoutTheJdk() throws Exception {
    Result fields = DebPackage.run("dpkg-deb", "-f", deb.toString(), "Package", "Version", "Architecture", "Depends");
    assertEquals(0, fields.exit(), fields.output());
    String f = fields.output();
    assertTrue(f.contains("Package: kona\n") && f.contains("Version: " + VERSION + "\n")
        && f.contains("Architecture: amd64\n"), f);
    String depends = f.lines().filter(l -> l.startsWith("Depends: ")).findFirst().orElseThrow();
    List<String> needed = Arrays.asList(depends.substring("Depends: ".length()).split(", "));
    for (String p : List.of("containernetworking-plugins", "iptables", "iproute2", "libseccomp2", "libssl3", "libc6")) {
      assertTrue(needed.contains(p), p + " in " + depends);
    }
    for (String p : List.of("gcc", "libc6-dev", "musl-tools")) {
      assertFalse(needed.contains(p), "kona-shim's build tools are no run-time dependency: " + depends);
    }
    Result conffiles = DebPackage.run("dpkg-deb", "-I", deb.toString(), "conffiles");
    assertEquals("/etc/kona/kona.toml\n", conffiles.output());

    Result listing = DebPackage.run("dpkg-deb", "-c", deb.toString());
    assertEquals(0, listing.exit(), listing.output());
    List<String> paths = new ArrayList<>();
    for (String line : listing.output().lines().toList()) {
      String[] cols = line.split("\\s+", 6);
      assertEquals("root/root", cols[1], "owned by root: " + line);
      paths.add(cols[5]);
    }
    for (String p : List.of("./opt/kona/bin/kona", "./opt/kona/runtime/bin/java", "./opt/kona/runtime/lib/modules",
        "./lib/systemd/system/kona.service", "./etc/kona/kona.toml", "./etc/kona/certs.d/",
        "./usr/bin/kona -> ../../opt/kona/bin/kona", "./usr/share/doc/kona/copyright")) {
      assertTrue(paths.contains(p), p + " in the package:\n" + String.join("\n", paths));
    }
    assertTrue(paths.stream().anyMatch(p -> p.matches("\\./opt/kona/lib/kona-cri-server-.*\\.jar")), "the daemon's jar");
    assertFalse(paths.stream().anyMatch(p -> p.matches("\\./opt/kona/runtime/(bin/javac|jmods/.*|lib/libawt_xawt\\.so)")),
        "a jlinked runtime, headless, not the JDK:\n" + String.join("\n", paths));
  }

  @Test
  void install_intoAThrowawayRoot_runsTheDaemonOnItsOwnRuntime_andPurgeKeepsTheState() throws Exception {
    Path work = Files.createTempDirectory(out, "root");
    Path upper = work.resolve("tmpfs");
    Path merged = work.resolve("merged");
    Files.createDirectories(upper);
    Files.createDirectories(merged);
    List<Path> mounts = new ArrayList<>();
    Process daemon = null;
    try {
      sh("mount", "-t", "tmpfs", "kona-deb-test", upper.toString());
      mounts.add(0, upper);
      Files.createDirectories(upper.resolve("u"));
      Files.createDirectories(upper.resolve("w"));
      sh("mount", "-t", "overlay", "kona-deb-test", "-o",
          "lowerdir=/,upperdir=" + upper.resolve("u") + ",workdir=" + upper.resolve("w"), merged.toString());
      mounts.add(0, merged);
      sh("mount", "--bind", "/dev", merged.resolve("dev").toString());
      mounts.add(0, merged.resolve("dev"));
      sh("mount", "-t", "proc", "kona-deb-test", merged.resolve("proc").toString());
      mounts.add(0, merged.resolve("proc"));
      Files.copy(deb, merged.resolve("tmp/kona.deb"));

      Result install = DebPackage.run("chroot", merged.toString(), "dpkg", "-i", "/tmp/kona.deb");
      assertEquals(0, install.exit(), install.output());
      assertEquals("install ok installed " + VERSION,
          DebPackage.run("chroot", merged.toString(), "dpkg-query", "-W", "-f", "${Status} ${Version}", "kona").output());
      Path toml = merged.resolve("etc/kona/kona.toml");
      assertTrue(Files.readAllLines(toml).stream().allMatch(l -> l.isBlank() || l.startsWith("#")),
          "the conffile holds the defaults commented out");
      assertTrue(Files.readString(toml).contains("# state_root = \"/var/lib/kona\""), Files.readString(toml));

      // `kona version` through /usr/bin/kona, with no JDK to be found: the package's own runtime.
      Result version = DebPackage.run(Duration.ofMinutes(2), java.util.Map.of("JAVA_HOME", "/nonexistent"),
          "chroot", merged.toString(), "/usr/bin/kona", "version");
      assertEquals(0, version.exit(), version.output());

      // The installed daemon, with the installed config file, on roots of this test.
      Path roots = work.resolve("roots");
      Path socket = roots.resolve("kona.sock");
      ProcessBuilder builder = new ProcessBuilder(merged.resolve("opt/kona/bin/kona").toString(), "daemon",
          "--config=" + toml, "--socket=" + socket, "--state_root=" + roots.resolve("state"),
          "--run_root=" + roots.resolve("run"), "--cni.conf_dir=" + roots.resolve("net.d"),
          "--metrics.address=127.0.0.1:" + KonaDaemon.freePort())
          .redirectErrorStream(true).redirectOutput(work.resolve("daemon.log").toFile());
      builder.environment().put("JAVA_HOME", "/nonexistent");
      Files.createDirectories(roots);
      daemon = builder.start();
      try (DebPackage.Client client = new DebPackage.Client(socket)) {
        assertEquals("kona", client.awaitVersion(Duration.ofSeconds(60)).getRuntimeName(),
            Files.readString(work.resolve("daemon.log")));
      }
      Path java = daemon.toHandle().info().command().map(Path::of).orElseThrow();
      assertEquals(merged.resolve("opt/kona/runtime/bin/java"), java, "the daemon runs on the package's runtime");
      daemon.destroy();
      assertTrue(daemon.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, daemon.exitValue(), Files.readString(work.resolve("daemon.log")));

      // Purge: the program and the conffile go; the state root stays.
      Path marker = merged.resolve("var/lib/kona/kept");
      Files.createDirectories(marker.getParent());
      Files.writeString(marker, "images and records");
      Result purge = DebPackage.run("chroot", merged.toString(), "dpkg", "--purge", "kona");
      assertEquals(0, purge.exit(), purge.output());
      assertFalse(Files.exists(merged.resolve("opt/kona")), "program removed");
      assertFalse(Files.exists(toml), "conffile removed on purge");
      assertEquals("images and records", Files.readString(marker), "the state root is never removed");
    } finally {
      if (daemon != null && daemon.isAlive()) {
        daemon.destroyForcibly().waitFor();
      }
      for (Path m : mounts) {
        DebPackage.run("umount", m.toString());
      }
    }
  }

  private static void sh(String... command) throws IOException, InterruptedException {
    Result r = DebPackage.run(command);
    assertEquals(0, r.exit(), String.join(" ", command) + ": " + r.output());
  }
}
