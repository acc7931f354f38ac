package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.conformance.fixture.KonaDaemon;
import dev.kona.cri.api.v1.ListPodSandboxRequest;
import dev.kona.cri.api.v1.PodSandbox;
import dev.kona.cri.api.v1.PodSandboxState;
import dev.kona.cri.api.v1.RunPodSandboxRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state root's format version ({@code <state_root>/kona-state.json}): a Kona reads the formats
 * it knows (an older Kona's state without the file included) and refuses a newer one at start-up
 * with exit code 2, before it reads or writes any record, so that nothing of that state is misread
 * (a record it cannot read would have its containers killed by recovery).
 */
class StateFormatTest {

  @TempDir Path root;

  /** Whatever a test left (a pod of a refused start): a daemon on the current format removes it. */
  @AfterEach
  void removeLeftPods() throws Exception {
    if (Files.isDirectory(root.resolve("state"))) {
      Files.deleteIfExists(root.resolve("state/kona-state.json"));
      KonaDaemon.start(root).close();
    }
  }

  @Test
  void newerFormat_refusedWithExitTwo_andTheStateIsLeftAsItWas() throws Exception {
    KonaDaemon.writeLoopbackNetwork(root);
    String pod;
    try (KonaDaemon kona = KonaDaemon.start(root)) {
      pod = runPod(kona, "format-newer");
      assertEquals(0, kona.terminate(Duration.ofSeconds(20)), kona.log());
    }
    Path format = root.resolve("state/kona-state.json");
    String written = Files.readString(format);
    String future = "{\"format\": 1000, \"written_by\": \"99.0.0\"}\n";
    Files.writeString(format, future);

    KonaDaemon refused = KonaDaemon.launch(root);
    try {
      assertTrue(refused.process().waitFor(KonaDaemon.scaled(Duration.ofSeconds(60)).toSeconds(), TimeUnit.SECONDS),
          "a Kona given a newer state exits:\n" + refused.log());
      assertEquals(2, refused.process().exitValue(), refused.log());
    } finally {
      if (refused.process().isAlive()) {
        refused.kill();
      }
    }
    String log = refused.log();
    assertTrue(log.contains("state root " + root.resolve("state") + " has state format 1000 (written by Kona 99.0.0)"), log);
    assertTrue(log.contains("this Kona reads formats up to"), log);
    assertFalse(Files.exists(root.resolve("kona.sock")), "no socket for a daemon that never started");
    assertEquals(future, Files.readString(format), "the newer state's format file is left as it was");

    // Put back (as a downgrade back to the newer Kona would): the pod is still there, untouched.
    Files.writeString(format, written);
    try (KonaDaemon kona = KonaDaemon.start(root)) {
      assertEquals(List.of(pod + " " + PodSandboxState.SANDBOX_READY), pods(kona));
    }
  }

  @Test
  void olderStateWithoutFormat_isAdoptedAndStampedWithTheCurrentOne() throws Exception {
    KonaDaemon.writeLoopbackNetwork(root);
    Path format = root.resolve("state/kona-state.json");
    String pod;
    try (KonaDaemon kona = KonaDaemon.start(root)) {
      assertTrue(Files.exists(format), "a fresh state root is stamped at start");
      assertTrue(Files.readString(format).matches("(?s)\\{\"format\":1,\"written_by\":\"[^\"]+\"}\\s*"), Files.readString(format));
      pod = runPod(kona, "format-older");
      assertEquals(0, kona.terminate(Duration.ofSeconds(20)), kona.log());
    }
    // The state root of a Kona from before the format version: the same layout, without the file.
    Files.delete(format);

    try (KonaDaemon kona = KonaDaemon.start(root)) {
      assertEquals(List.of(pod + " " + PodSandboxState.SANDBOX_READY), pods(kona));
      assertTrue(Files.readString(format).startsWith("{\"format\":1,"), Files.readString(format));
      assertTrue(kona.log().contains("state root " + root.resolve("state") + ": format 0 (no kona-state.json) read as format 1"),
          kona.log());
    }
  }

  @Test
  void unreadableFormatFile_refusedWithExitTwoNamingTheFile() throws Exception {
    Path format = root.resolve("state/kona-state.json");
    Files.createDirectories(format.getParent());
    Files.writeString(format, "not json");

    KonaDaemon refused = KonaDaemon.launch(root);
    try {
      assertTrue(refused.process().waitFor(KonaDaemon.scaled(Duration.ofSeconds(60)).toSeconds(), TimeUnit.SECONDS),
          "a Kona given an unreadable format file exits:\n" + refused.log());
      assertEquals(2, refused.process().exitValue(), refused.log());
    } finally {
      if (refused.process().isAlive()) {
        refused.kill();
      }
    }
    assertTrue(refused.log().contains(format + ": not a state format file"), refused.log());
    assertEquals("not json", Files.readString(format));
  }

  private static String runPod(KonaDaemon kona, String name) {
    return kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder()
        .setConfig(PodSandboxTest.config(name)).build()).getPodSandboxId();
  }

  private static List<String> pods(KonaDaemon kona) {
    return kona.runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList().stream()
        .map((PodSandbox p) -> p.getId() + " " + p.getState()).toList();
  }
}
