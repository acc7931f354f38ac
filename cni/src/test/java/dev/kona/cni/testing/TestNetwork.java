package dev.kona.cni.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A private CNI world for one test: temp conf, bin, cache and IPAM dirs, a test-unique bridge name
 * and a /24 that no host route covers. No masquerade and no default route: pods reach only the host
 * and each other. {@link #close} removes the bridge and the temp dirs.
 */
public final class TestNetwork implements AutoCloseable {

  public static final Path DEBIAN_PLUGINS = Path.of("/usr/lib/cni");

  private final Path root;
  private final String suffix;
  private final String bridge;
  private final String subnetPrefix;

  private TestNetwork(Path root, String suffix, String subnetPrefix) {
    this.root = root;
    this.suffix = suffix;
    this.bridge = "kt" + suffix;
    this.subnetPrefix = subnetPrefix;
  }

  public static TestNetwork create() {
    try {
      Path root = Files.createTempDirectory("kona-cni-test");
      for (String dir : List.of("conf", "bin", "cache", "ipam")) {
        Files.createDirectories(root.resolve(dir));
      }
      String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 24).substring(0, 8);
      return new TestNetwork(root, suffix, freeSubnetPrefix());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** 10.2xx.y: a /24 not covered by any host route. */
  private static String freeSubnetPrefix() {
    String routes = Cmd.run("ip", "-4", "route", "show", "table", "all");
    for (int attempt = 0; attempt < 100; attempt++) {
      String prefix =
          "10." + (200 + ThreadLocalRandom.current().nextInt(50)) + "." + ThreadLocalRandom.current().nextInt(256);
      if (!routes.contains(prefix + ".")) {
        return prefix;
      }
    }
    throw new AssertionError("no free 10.2xx.y.0/24 for a test network");
  }

  public String networkName() {
    return "kona-test-" + suffix;
  }

  public String bridge() {
    return bridge;
  }

  public String subnet() {
    return subnetPrefix + ".0/24";
  }

  public String gateway() {
    return subnetPrefix + ".1";
  }

  public Path confDir() {
    return root.resolve("conf");
  }

  public Path binDir() {
    return root.resolve("bin");
  }

  public Path cacheDir() {
    return root.resolve("cache");
  }

  public Path ipamDir() {
    return root.resolve("ipam");
  }

  /** Bridge + host-local, then the given extra plugin objects (JSON), e.g. portmap. */
  public Path writeConflist(String cniVersion, String... extraPlugins) {
    String bridgePlugin =
        """
        {"type": "bridge", "bridge": "%s", "isGateway": true, "ipMasq": false,
         "ipam": {"type": "host-local", "dataDir": "%s",
                  "ranges": [[{"subnet": "%s", "gateway": "%s"}]]}}"""
            .formatted(bridge, ipamDir(), subnet(), gateway());
    StringBuilder plugins = new StringBuilder(bridgePlugin);
    for (String extra : extraPlugins) {
      plugins.append(",\n").append(extra);
    }
    return writeConf(
        "10-test.conflist",
        """
        {"cniVersion": "%s", "name": "%s", "plugins": [%s]}"""
            .formatted(cniVersion, networkName(), plugins));
  }

  public Path writeConf(String fileName, String json) {
    try {
      return Files.writeString(confDir().resolve(fileName), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fake plugin: a shell script in the test's bin dir. */
  public Path writePlugin(String name, String script) {
    try {
      Path file = binDir().resolve(name);
      Files.writeString(file, "#!/bin/sh\n" + script + "\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Links enslaved to the test bridge (the host ends of pod veths). */
  public List<String> bridgePorts() {
    Cmd.Result r = Cmd.tryRun("ip", "-o", "link", "show", "master", bridge);
    if (r.exitCode() != 0) {
      return List.of(); // the bridge does not exist (yet)
    }
    return r.output().lines().filter(l -> !l.isBlank()).toList();
  }

  /** host-local's leases: one file per allocated IP under dataDir/<network>/. */
  public List<String> ipamLeases() {
    Path dir = ipamDir().resolve(networkName());
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> !n.equals("lock") && !n.startsWith("last_reserved_ip"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** iptables lines (all tables) that mention one of the ids. */
  public static List<String> iptablesLinesMentioning(List<String> ids) {
    List<String> found = new ArrayList<>();
    for (String line : Cmd.run("iptables-save").lines().toList()) {
      for (String id : ids) {
        if (line.contains(id)) {
          found.add(line);
        }
      }
    }
    return found;
  }

  public List<String> cacheEntries() {
    Path dir = cacheDir().resolve("results");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Fails if any veth, lease, iptables rule or cache entry of these sandboxes is left. */
  public void assertNothingLeft(List<String> sandboxIds) {
    assertEquals(List.of(), bridgePorts(), "veths left on " + bridge);
    assertEquals(List.of(), ipamLeases(), "IPAM leases left in " + ipamDir());
    assertEquals(List.of(), iptablesLinesMentioning(sandboxIds), "iptables rules left");
    assertEquals(List.of(), cacheEntries(), "cache entries left");
  }

  @Override
  public void close() {
    Cmd.tryRun("ip", "link", "delete", bridge);
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
