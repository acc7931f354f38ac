package dev.kona.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kona.engine.plan.ContainerPlanner;
import dev.kona.engine.plan.HostFacts;
import dev.kona.oci.spec.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared fixture of the native engine's kernel tests (they need root): a busybox rootfs, the
 * installed helper, an engine over a fresh run root per test, and a check after each test that
 * no container, mount or process is left.
 */
abstract class NativeEngineTestBase {
  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir static Path shared;
  static Path rootfs;
  static Path shim;

  @TempDir Path dir;
  Path runRoot;
  NativeEngine engine;
  LeakSnapshot before;

  @BeforeAll
  static void rootfsAndShim() throws IOException {
    assertEquals("root", System.getProperty("user.name"), "kernel tests need root");
    rootfs = BusyboxBundle.rootfs(shared);
    shim = ShimBinary.install(shared.resolve("bin"));
  }

  @BeforeEach
  void engine() throws IOException {
    runRoot = dir.resolve("run");
    engine = newEngine();
    before = LeakSnapshot.take(runRoot, rootfs);
  }

  NativeEngine newEngine() {
    return new NativeEngine(new RunRoot(runRoot), shim, new ContainerPlanner(HostFacts.read(), null),
        CgroupPlacement.none(), 16384);
  }

  @AfterEach
  void nothingLeft() throws IOException {
    for (ContainerState s : engine.list()) {
      engine.kill(s.id(), 9);
      engine.waitForExit(s.id(), WAIT);
      engine.delete(s.id());
    }
    LeakSnapshot after = LeakSnapshot.take(runRoot, rootfs);
    // A monitor replies to waiters just before it exits: give it a moment to be gone.
    for (int i = 0; i < 100 && !after.equals(before); i++) {
      sleep(10);
      after = LeakSnapshot.take(runRoot, rootfs);
    }
    assertEquals(before, after, "mounts or processes left behind");
    assertEquals(List.of(), engine.list());
  }

  ContainerId create(String name, Spec spec, boolean stdin) throws IOException {
    Path bundle = BusyboxBundle.write(dir, name, spec);
    ContainerId id = ContainerId.parse(name);
    engine.create(new CreateRequest(id, bundle, dir.resolve(name + ".log"), stdin, false));
    return id;
  }

  ContainerId run(String name, String... args) throws IOException {
    ContainerId id = create(name, BusyboxBundle.spec(rootfs, false, args), false);
    engine.start(id);
    return id;
  }

  String log(String name) throws IOException {
    return Files.readString(dir.resolve(name + ".log"));
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
