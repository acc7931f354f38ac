package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.conformance.fixture.BusyboxRegistry;
import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.PullImageRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** SIGHUP: registries change without a restart; keys that cannot are logged as needing one. */
class ConfigReloadTest {

  @RegisterExtension static final BusyboxRegistry registry = new BusyboxRegistry();

  @TempDir Path root;

  @Test
  void sighup_appliesRegistries_reportsRestartKeys_andKeepsTheConfigWhenTheFileIsBroken() throws Exception {
    int closed = KonaDaemon.freePort();
    String mirrorHost = registry.image().substring(0, registry.image().indexOf('/'));
    String before = "shutdown_timeout_seconds = 10\n[images.registries.\"registry.invalid\"]\n"
        + "mirrors = [\"http://127.0.0.1:" + closed + "\"]\nfallback_to_registry = false\n";
    try (KonaDaemon kona = KonaDaemon.startWithConfig(root, before)) {
      Path file = root.resolve("kona.toml");
      StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class, () -> pull(kona));
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getMessage());

      Files.writeString(file, "shutdown_timeout_seconds = 5\n[images.registries.\"registry.invalid\"]\n"
          + "mirrors = [\"http://" + mirrorHost + "\"]\nfallback_to_registry = false\n");
      hup(kona, 1);
      pull(kona);
      String log = kona.log();
      assertTrue(log.contains("reload: images.registries and images.config_path applied to the next pulls"), log);
      assertTrue(log.contains("reload: shutdown_timeout_seconds changed; it takes effect at the next restart"), log);

      Files.writeString(file, "shutdown_timeout_seconds = \"five\"\n");
      hup(kona, 2);
      assertTrue(kona.log().contains("nothing changed"), kona.log());
      pull(kona); // the mirror is still in force
    }
  }

  private static void pull(KonaDaemon kona) {
    kona.images().pullImage(PullImageRequest.newBuilder()
        .setImage(ImageSpec.newBuilder().setImage("registry.invalid/busybox:1.0")).build());
  }

  /** Sends SIGHUP and waits until the daemon has logged the {@code n}th reload's outcome. */
  private static void hup(KonaDaemon kona, int n) throws Exception {
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(kona.pid())).inheritIO().start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0);
    long deadline = System.nanoTime() + KonaDaemon.scaled(Duration.ofSeconds(20)).toNanos();
    while (System.nanoTime() < deadline) {
      String log = kona.log();
      int done = count(log, "reload (SIGHUP) done") + count(log, "nothing changed");
      if (done >= n) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no reload logged after SIGHUP:\n" + kona.log());
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
