package dev.kona.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.KonaException;
import dev.kona.oci.spec.Spec;
import dev.kona.oci.spec.SpecMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The native engine on the real kernel (needs root): busybox containers from create to delete. */
class NativeEngineTest extends NativeEngineTestBase {

  @Test
  void start_echoLandsInCriLog() throws IOException {
    ContainerId id = run("echo", "echo", "hello");
    ExitStatus exit = engine.waitForExit(id, WAIT);
    assertEquals(0, exit.code());
    assertEquals("Completed", exit.reason());
    assertTrue(log("echo").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z stdout F hello\n"), log("echo"));
    assertEquals(ContainerStatus.STOPPED, engine.state(id).status());
    engine.delete(id);
    assertFalse(Files.exists(runRoot.resolve("containers/echo")));
  }

  /**
   * The kubelet reads the status right after StopContainer returns and must see it exited. A status
   * cached while running stays "true" for as long as the monitor lives, and the monitor outlives its
   * final status write by a moment (longer on a loaded node), so a stop must not leave it cached.
   */
  @Test
  void stop_afterStatusWasCachedRunning_readsStoppedAtOnce() throws IOException {
    for (int i = 0; i < 30; i++) {
      ContainerId id = run("cached" + i, "sleep", "1000");
      assertEquals(ContainerStatus.RUNNING, engine.state(id).status());
      ExitStatus exit = engine.stop(id, 9, WAIT);
      assertEquals(9, exit.signal());
      assertEquals(ContainerStatus.STOPPED, engine.state(id).status(), "round " + i);
      engine.delete(id);
    }
  }

  @Test
  void waitForExit_reportsExitCodeAndStderr() throws IOException {
    ContainerId id = run("code", "sh", "-c", "echo oops >&2; exit 3");
    assertEquals(3, engine.waitForExit(id, WAIT).code());
    assertTrue(log("code").contains(" stderr F oops\n"), log("code"));
  }

  @Test
  void create_waitsUntilStart() throws Exception {
    ContainerId id = create("later", BusyboxBundle.spec(rootfs, false, "echo", "ran"), false);
    ContainerState created = engine.state(id);
    assertEquals(ContainerStatus.CREATED, created.status());
    assertTrue(created.pid() > 0);
    Thread.sleep(200);
    assertEquals("", log("later"));
    engine.start(id);
    assertEquals(0, engine.waitForExit(id, WAIT).code());
    assertTrue(log("later").endsWith(" stdout F ran\n"));
    assertThrows(FailedPreconditionException.class, () -> engine.start(id));
  }

  @Test
  void kill_beforeStartStopsWithSignal() throws IOException {
    ContainerId id = create("never", BusyboxBundle.spec(rootfs, false, "echo", "never"), false);
    engine.kill(id, 9);
    ExitStatus exit = engine.waitForExit(id, WAIT);
    assertEquals(9, exit.signal());
    assertEquals(137, exit.code());
    assertEquals("", log("never"));
    assertThrows(FailedPreconditionException.class, () -> engine.start(id));
  }

  @Test
  void create_missingProgramFailsClearlyAndLeavesNothing() throws IOException {
    Path bundle = BusyboxBundle.write(dir, "missing", BusyboxBundle.spec(rootfs, false, "no-such-program"));
    KonaException e = assertThrows(FailedPreconditionException.class, () -> engine.create(
        new CreateRequest(ContainerId.parse("missing"), bundle, dir.resolve("missing.log"), false, false)));
    assertTrue(e.getMessage().contains("create container missing: exec: no-such-program not found in PATH /bin"),
        e.getMessage());
    assertFalse(Files.exists(runRoot.resolve("containers/missing")));
  }

  @Test
  void create_badWorkingDirectoryNamesTheStep() throws IOException {
    Spec spec = BusyboxBundle.spec(rootfs, false, "true");
    spec = spec.withProcess(dev.kona.oci.spec.Process.of(spec.process().user(), spec.process().args(),
        spec.process().env(), "/does/not/exist"));
    Path bundle = BusyboxBundle.write(dir, "badcwd", spec);
    KonaException e = assertThrows(KonaException.class, () -> engine.create(
        new CreateRequest(ContainerId.parse("badcwd"), bundle, null, false, false)));
    assertTrue(e.getMessage().contains("cwd: chdir /does/not/exist: No such file or directory"), e.getMessage());
  }

  @Test
  void log_longLineSplitsIntoPartials() throws IOException {
    ContainerId id = run("long", "sh", "-c", "head -c 20000 /dev/zero | tr '\\0' x; echo; echo short");
    assertEquals(0, engine.waitForExit(id, WAIT).code());
    List<String> lines = log("long").lines().toList();
    assertEquals(3, lines.size(), log("long").substring(0, 200));
    assertTrue(lines.get(0).endsWith(" stdout P " + "x".repeat(16384)));
    assertTrue(lines.get(1).endsWith(" stdout F " + "x".repeat(20000 - 16384)));
    assertTrue(lines.get(2).endsWith(" stdout F short"));
  }

  @Test
  void create_badMountSourceFailsClearlyAndLeavesNothing() throws IOException {
    Spec spec = BusyboxBundle.spec(rootfs, false, "true");
    List<SpecMount> mounts = new java.util.ArrayList<>(spec.mounts());
    mounts.add(SpecMount.of("/data", "bind", dir.resolve("no-such-dir").toString(), List.of("rbind", "ro")));
    Path bundle = BusyboxBundle.write(dir, "badmount", spec.withMounts(mounts));
    KonaException e = assertThrows(FailedPreconditionException.class, () -> engine.create(
        new CreateRequest(ContainerId.parse("badmount"), bundle, null, false, false)));
    assertTrue(e.getMessage().contains("mount: bind " + dir.resolve("no-such-dir") + " on /data: No such file or directory"),
        e.getMessage());
    assertFalse(Files.exists(runRoot.resolve("containers/badmount")));
  }

  @Test
  void start_programThatCannotExecFailsAtStartAndStops() throws IOException {
    Path garbage = rootfs.resolve("bin/garbage");
    Files.writeString(garbage, "not a program\n");
    Files.setPosixFilePermissions(garbage, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    try {
      ContainerId id = create("garbage", BusyboxBundle.spec(rootfs, false, "/bin/garbage"), false);
      KonaException e = assertThrows(FailedPreconditionException.class, () -> engine.start(id));
      assertTrue(e.getMessage().contains("start container garbage: exec: /bin/garbage: Exec format error"), e.getMessage());
      assertEquals(127, engine.waitForExit(id, WAIT).code());
      assertEquals(ContainerStatus.STOPPED, engine.state(id).status());
    } finally {
      Files.delete(garbage);
    }
  }

  @Test
  void create_controlSocketPathLongerThanSunPath_isStillReached() throws IOException {
    // The monitor binds its socket relative to its dir; the engine connects through /proc/self/fd.
    Path bundle = BusyboxBundle.write(dir, "long", BusyboxBundle.spec(rootfs, false, "sh", "-c", "exit 7"));
    ContainerId id = ContainerId.parse("x".repeat(120));
    engine.create(new CreateRequest(id, bundle, null, false, false));
    engine.start(id);
    assertEquals(7, engine.waitForExit(id, WAIT).code());
    engine.delete(id);
  }
}
