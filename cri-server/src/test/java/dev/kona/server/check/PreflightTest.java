package dev.kona.server.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kona.cni.config.CniConfig;
import dev.kona.linux.syscall.LinuxSyscalls;
import dev.kona.server.config.ConfigLoader;
import dev.kona.server.config.KonaConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kona check} on this host, with real mounts, directories and the daemon's own probes. */
class PreflightTest {

  @TempDir Path tmp;
  private final List<Path> mounted = new ArrayList<>();
  private final NodeChecks node = new NodeChecks(LinuxSyscalls.get());

  @AfterEach
  void unmount() throws Exception {
    for (Path p : mounted.reversed()) {
      run("umount", p.toString());
    }
  }

  @Test
  void check_systemdDriver_failsWithExit2_unlessSystemdAnswers() throws Exception {
    Map<String, String> flags = roots();
    flags.put("cgroup_driver", "systemd");
    List<CheckResult> results = new Preflight(load(flags), LinuxSyscalls.get()).run();
    CheckResult driver = find(results, "cgroup_driver");
    if (Files.isDirectory(Path.of("/run/systemd/system"))) {
      assertEquals(CheckResult.Status.OK, driver.status(), driver.message());
      return;
    }
    // this host: cgroup v1, cgroupfs, no systemd (the daemon would exit with code 2)
    assertEquals(CheckResult.Status.FAIL, driver.status(), driver.message());
    assertTrue(driver.message().contains("systemd does not answer on the system bus"), driver.message());
    assertEquals(Preflight.EXIT_FAIL, Preflight.exitCode(results));
    assertEquals(Preflight.EXIT_FAIL, main(cliArgs(flags, "check")).code);
  }

  @Test
  void check_json_parsesWithEveryCheck_andItsExitCode() throws Exception {
    Output out = main(cliArgs(roots(), "check", "--output", "json"));
    JsonNode json = new ObjectMapper().readTree(out.stdout);
    assertEquals(out.code, json.get("exit_code").asInt());
    List<String> names = new ArrayList<>();
    for (JsonNode c : json.get("checks")) {
      names.add(c.get("name").asText());
      assertTrue(List.of("ok", "warn", "fail").contains(c.get("status").asText()), c.toString());
      assertFalse(c.get("message").asText().isBlank(), c.toString());
    }
    assertEquals(List.of("kernel", "cgroups", "cgroup_controllers", "cgroup_driver", "overlayfs", "idmapped_mounts",
        "recursive_read_only", "seccomp", "pidfd", "cni", "storage", "socket"), names);
    String worst = json.get("status").asText();
    assertEquals(switch (out.code) { case 0 -> "ok"; case 1 -> "warn"; default -> "fail"; }, worst);
  }

  @Test
  void check_textOutput_oneLinePerCheck_andBadOutputIsUsageError() throws Exception {
    Output out = main(cliArgs(roots(), "check"));
    List<String> lines = out.stdout.lines().toList();
    assertEquals(12, lines.size(), out.stdout);
    for (String line : lines) {
      assertTrue(line.matches("(ok  |warn|fail)  \\S+\\s+\\S.*"), line);
    }
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("ok    pidfd")), out.stdout);
    assertEquals(2, main(List.of("check", "--output", "yaml")).code);
    assertEquals(Preflight.EXIT_FAIL, main(List.of("check", "--no_such_key=1")).code, "a bad config is a blocker");
  }

  @Test
  void check_hostFeaturesThisKernelHas_areOk() throws Exception {
    List<CheckResult> results = new Preflight(load(roots()), LinuxSyscalls.get()).run();
    for (String name : List.of("kernel", "overlayfs", "seccomp", "pidfd", "recursive_read_only")) {
      assertEquals(CheckResult.Status.OK, find(results, name).status(), find(results, name).message());
    }
  }

  @Test
  void kernelVersion_parsed() {
    assertArrayEquals(new int[] {6, 1}, KernelChecks.version("6.1.0-18-amd64"));
    assertArrayEquals(new int[] {5, 10}, KernelChecks.version("5.10.0"));
    assertNull(KernelChecks.version("weird"));
    assertTrue(KernelChecks.atLeast(new int[] {5, 12}, KernelChecks.MOUNT_SETATTR));
    assertFalse(KernelChecks.atLeast(new int[] {5, 4}, KernelChecks.MOUNT_SETATTR));
    assertTrue(KernelChecks.atLeast(new int[] {6, 0}, KernelChecks.MOUNT_SETATTR));
  }

  @Test
  void storage_tinyTmpfs_fails() throws Exception {
    Path dir = tmpfs("size=1m");
    CheckResult r = node.storage(dir.resolve("kona"));
    assertEquals(CheckResult.Status.FAIL, r.status(), r.message());
    assertTrue(r.message().contains("not made yet"), r.message());
  }

  @Test
  void storage_inodesNearlyUsedUp_fails() throws Exception {
    Path dir = tmpfs("size=4g,nr_inodes=200");
    for (int i = 0; i < 195; i++) {
      Files.createFile(dir.resolve("f" + i));
    }
    CheckResult r = node.storage(dir);
    assertEquals(CheckResult.Status.FAIL, r.status(), r.message());
    assertTrue(r.message().contains("inodes free of 200"), r.message());
  }

  @Test
  void storage_smallButEmpty_warns_largeEnough_ok() throws Exception {
    CheckResult small = node.storage(tmpfs("size=1g"));
    assertEquals(CheckResult.Status.WARN, small.status(), small.message());
    CheckResult large = node.storage(tmpfs("size=4g"));
    assertEquals(CheckResult.Status.OK, large.status(), large.message());
  }

  @Test
  void socket_worldWritableDirectory_fails_regularFile_fails_missingDir_ok() throws Exception {
    Path open = Files.createDirectory(tmp.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    CheckResult r = node.socket(open.resolve("kona.sock"));
    assertEquals(CheckResult.Status.FAIL, r.status(), r.message());

    Path dir = Files.createDirectory(tmp.resolve("run"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x---"));
    Path file = Files.writeString(dir.resolve("kona.sock"), "not a socket");
    r = node.socket(file);
    assertEquals(CheckResult.Status.FAIL, r.status(), r.message());
    assertTrue(r.message().contains("not a socket"), r.message());
    Files.delete(file);
    assertEquals(CheckResult.Status.OK, node.socket(file).status());

    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwx---"));
    assertEquals(CheckResult.Status.WARN, node.socket(file).status());

    r = node.socket(tmp.resolve("missing/kona.sock"));
    assertEquals(CheckResult.Status.OK, r.status(), r.message());
  }

  @Test
  void cni_configAndPlugins() throws Exception {
    Path conf = Files.createDirectory(tmp.resolve("net.d"));
    Path bin = Files.createDirectory(tmp.resolve("bin"));
    CniConfig cni = new CniConfig(conf, List.of(bin), null, null, 0, null, null);
    CheckResult r = node.cni(cni);
    assertEquals(CheckResult.Status.WARN, r.status(), r.message());

    Files.writeString(conf.resolve("10-test.conflist"), """
        {"cniVersion": "1.0.0", "name": "testnet", "plugins": [{"type": "bridge"}, {"type": "portmap"}]}
        """);
    Path bridge = Files.writeString(bin.resolve("bridge"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(bridge, PosixFilePermissions.fromString("rwxr-xr-x"));
    r = node.cni(cni);
    assertEquals(CheckResult.Status.FAIL, r.status(), r.message());
    assertTrue(r.message().contains("plugin portmap not found in " + bin), r.message());
    assertTrue(r.message().contains("testnet"), r.message());

    Path portmap = Files.writeString(bin.resolve("portmap"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(portmap, PosixFilePermissions.fromString("rwxr-xr-x"));
    r = node.cni(cni);
    assertEquals(CheckResult.Status.OK, r.status(), r.message());
  }

  @Test
  void exitCode_worstWins() {
    assertEquals(0, Preflight.exitCode(List.of(CheckResult.ok("a", "x"))));
    assertEquals(1, Preflight.exitCode(List.of(CheckResult.ok("a", "x"), CheckResult.warn("b", "y"))));
    assertEquals(2, Preflight.exitCode(List.of(CheckResult.fail("a", "x"), CheckResult.warn("b", "y"))));
  }

  private Map<String, String> roots() throws IOException {
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("state_root", tmp.resolve("state").toString());
    flags.put("run_root", tmp.resolve("runroot").toString());
    flags.put("socket", tmp.resolve("runroot/kona.sock").toString());
    flags.put("cni.conf_dir", Files.createDirectories(tmp.resolve("cni-conf")).toString());
    return flags;
  }

  private static KonaConfig load(Map<String, String> flags) throws Exception {
    return new ConfigLoader().load(null, flags);
  }

  private static List<String> cliArgs(Map<String, String> flags, String... first) {
    List<String> args = new ArrayList<>(List.of(first));
    flags.forEach((k, v) -> args.add("--" + k + "=" + v));
    return args;
  }

  private static CheckResult find(List<CheckResult> results, String name) {
    return results.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name));
  }

  private record Output(int code, String stdout) {}

  private static synchronized Output main(List<String> args) throws Exception {
    PrintStream saved = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      int code = (int) invokeRun(args);
      return new Output(code, buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(saved);
    }
  }

  private static Object invokeRun(List<String> args) throws Exception {
    var run = Class.forName("dev.kona.server.Main").getDeclaredMethod("run", List.class);
    run.setAccessible(true);
    return run.invoke(null, args);
  }

  private Path tmpfs(String options) throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("tmpfs" + mounted.size()));
    run("mount", "-t", "tmpfs", "-o", options, "kona-check-test", dir.toString());
    mounted.add(dir);
    return dir;
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + ": " + out);
    }
  }
}
