package dev.kona.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What survives the daemon: every test drops the engine (all Java state) and goes on with a new
 * one over the same run root, as a restarted daemon would. Also log rotation and a leak check.
 */
class NativeEngineRecoveryTest extends NativeEngineTestBase {

  @Test
  void list_findsRunningContainerAfterDaemonStateIsGone() throws IOException {
    ContainerId id = run("survivor", "sleep", "1000");
    int pid = engine.state(id).pid();
    engine = newEngine();
    List<ContainerState> states = engine.list();
    assertEquals(1, states.size());
    assertEquals(ContainerStatus.RUNNING, states.getFirst().status());
    assertEquals(pid, states.getFirst().pid());
    engine.kill(id, 9);
    assertEquals(137, engine.waitForExit(id, WAIT).code());
  }

  @Test
  void killNine_ofTheDaemonJvmLeavesContainerRunningAndLogging() throws Exception {
    Path bundle = BusyboxBundle.write(dir, "orphan",
        BusyboxBundle.spec(rootfs, false, "sh", "-c", "i=0; while true; do echo tick$i; i=$((i+1)); sleep 0.02; done"));
    java.lang.Process daemon = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), DaemonStandIn.class.getName(),
        runRoot.toString(), shim.toString(), bundle.toString(), dir.resolve("orphan.log").toString(), "orphan")
        .redirectErrorStream(true).start();
    try {
      java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(daemon.getInputStream()));
      StringBuilder seen = new StringBuilder();
      for (String line = out.readLine(); !"started".equals(line); line = out.readLine()) {
        assertTrue(line != null, "the stand-in daemon died: " + seen);
        seen.append(line).append('\n'); // e.g. SLF4J's notice that it has no provider
      }
    } finally {
      daemon.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no cleanup
    }
    long size = Files.size(dir.resolve("orphan.log"));
    Thread.sleep(200);
    assertTrue(Files.size(dir.resolve("orphan.log")) > size, "the container goes on logging without its daemon");
    ContainerId id = ContainerId.parse("orphan");
    assertEquals(ContainerStatus.RUNNING, engine.state(id).status());
    engine.kill(id, 9);
    assertEquals(137, engine.waitForExit(id, WAIT).code());
  }

  @Test
  void kill_reachesTheProcessOfAMonitorKilledFromOutside() throws Exception {
    ContainerId id = run("orphaned", "sleep", "1000");
    MonitorStatus status = MonitorStatus.read(runRoot.resolve("containers/orphaned"));
    ProcessHandle.of(status.monitorPid()).orElseThrow().destroyForcibly();
    for (int i = 0; i < 100 && ProcessHandle.of(status.monitorPid()).isPresent(); i++) {
      Thread.sleep(10);
    }
    assertEquals(ContainerStatus.UNKNOWN, engine.state(id).status());
    assertTrue(status.processAlive(), "the container outlives its monitor");
    engine.kill(id, 9);
    assertEquals(255, engine.waitForExit(id, WAIT).code(), "the real exit code died with the monitor");
    assertFalse(status.processAlive());
    engine.delete(id);
  }

  @Test
  void state_learnsExitThatHappenedWhileDaemonWasDown() throws Exception {
    ContainerId id = run("gone", "sh", "-c", "echo bye; exit 4");
    engine = null;
    Thread.sleep(300);
    engine = newEngine();
    assertEquals(4, engine.waitForExit(id, WAIT).code());
    ContainerState state = engine.state(id);
    assertEquals(ContainerStatus.STOPPED, state.status());
    assertEquals(4, state.exit().exitCode());
    assertTrue(state.exit().finishedAt().isAfter(state.startedAt()));
    assertTrue(log("gone").endsWith(" stdout F bye\n"));
  }

  @Test
  void reopenLog_writesToNewFileAfterRotation() throws Exception {
    ContainerId id = run("rotate", "sh", "-c", "i=0; while true; do echo line$i; i=$((i+1)); sleep 0.02; done");
    Path logFile = dir.resolve("rotate.log");
    awaitContent(logFile, "line1\n");
    Path rotated = dir.resolve("rotate.log.1");
    Files.move(logFile, rotated);
    engine.reopenLog(id);
    awaitContent(logFile, "line");
    long before = Files.size(rotated);
    Thread.sleep(100);
    assertEquals(before, Files.size(rotated), "the old file stopped growing");
    engine.kill(id, 9); // sh as PID 1 of its namespace ignores SIGTERM, as it would under runc
    assertEquals(9, engine.waitForExit(id, WAIT).signal());
  }

  @Test
  void monitor_residentSizeStaysUnderOneMebibyte() throws Exception {
    ContainerId id = run("rss", "sh", "-c", "while true; do echo tick; sleep 0.01; done");
    Thread.sleep(300);
    MonitorStatus status = MonitorStatus.read(runRoot.resolve("containers/rss"));
    String proc = Files.readString(Path.of("/proc", Integer.toString(status.monitorPid()), "status"));
    long rssKb = proc.lines().filter(l -> l.startsWith("VmRSS:"))
        .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElseThrow();
    assertTrue(rssKb < 1024, "monitor VmRSS " + rssKb + " kB");
    engine.kill(id, 9);
    engine.waitForExit(id, WAIT);
  }

  @Test
  void cycles_leaveRunRootMountsAndProcessesAsTheyWere() throws IOException {
    for (int i = 0; i < 100; i++) {
      ContainerId id = run("cycle" + i, "true");
      assertEquals(0, engine.waitForExit(id, WAIT).code());
      engine.delete(id);
    }
    assertEquals(List.of(), Files.list(runRoot.resolve("containers")).toList());
  }

  private static void awaitContent(Path file, String text) throws Exception {
    for (int i = 0; i < 500; i++) {
      if (Files.exists(file) && Files.readString(file).contains(text)) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError(file + " never contained " + text);
  }
}
