package dev.kona.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShimBinaryTest {

  @TempDir Path dir;

  @Test
  void install_runsAndIsReusedForSameContent() throws Exception {
    Path shim = ShimBinary.install(dir);
    assertEquals(shim, ShimBinary.install(dir));
    assertEquals("kona-shim 1", run(shim.toString(), "version"));
  }

  @Test
  void create_missingPlanReportsErrnoAndPath() throws Exception {
    Path shim = ShimBinary.install(dir);
    String out = run(shim.toString(), "create", dir.resolve("nothing").toString());
    assertTrue(out.startsWith("error 2 read: open " + dir.resolve("nothing/plan")), out);
  }

  @Test
  void create_malformedPlanNamesTheRecord() throws Exception {
    Path shim = ShimBinary.install(dir);
    Path state = Files.createDirectories(dir.resolve("bad"));
    Files.writeString(state.resolve("plan"), "version 1:1\narg 9:short\n");
    String out = run(shim.toString(), "create", state.toString());
    assertEquals("error 22 plan: record 2 (arg): bad field length: Invalid argument", out);
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor();
    return out;
  }
}
