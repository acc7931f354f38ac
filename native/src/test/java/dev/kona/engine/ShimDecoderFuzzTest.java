package dev.kona.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The C helper's decoders under libFuzzer with AddressSanitizer and UndefinedBehaviorSanitizer
 * (src/test/c/fuzz/run.sh, Debian's clang): the launch plan decoder and the monitor's control-socket
 * decoder. Every seed and every crasher that became a regression replays; then each target fuzzes
 * for a short fixed time ({@code -Dkona.fuzz.seconds}, default 10; {@code -Dkona.fuzz.skip=true}
 * leaves the fuzzing out, not the replay). Longer runs by hand: see the script.
 */
class ShimDecoderFuzzTest {

  private static final Path SCRIPT = Path.of("src/test/c/fuzz/run.sh");

  @Test
  void seedsAndRegressions_replayWithoutAFinding() throws Exception {
    Result r = run(List.of("replay"), 300);
    assertEquals(0, r.exit(), "a seed or regression of the C decoders fails under the sanitizers:\n" + r.tail());
  }

  @Test
  void shortFixedRun_findsNothing() throws Exception {
    if (Boolean.getBoolean("kona.fuzz.skip")) {
      System.out.println("C decoder fuzzing left out (-Dkona.fuzz.skip=true); seeds and regressions still replay");
      return;
    }
    int seconds = Integer.getInteger("kona.fuzz.seconds", 10);
    Result r = run(List.of(Integer.toString(seconds)), 300 + 2L * seconds);
    assertEquals(0, r.exit(), "libFuzzer found a crash in the C decoders; its input is the crash-* file in "
        + "target/fuzz-c/<target>/ (make it a regression under src/test/c/fuzz/regressions/<target>/):\n" + r.tail());
    assertTrue(r.output().contains("Done "), r.tail());
  }

  private record Result(int exit, String output) {
    String tail() {
      return output.length() > 6000 ? output.substring(output.length() - 6000) : output;
    }
  }

  private static Result run(List<String> args, long timeoutSeconds) throws IOException, InterruptedException {
    assertTrue(Files.isExecutable(SCRIPT), SCRIPT + " is missing");
    List<String> command = new ArrayList<>(List.of("sh", SCRIPT.toString()));
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS), "run.sh did not finish in " + timeoutSeconds + " s");
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
