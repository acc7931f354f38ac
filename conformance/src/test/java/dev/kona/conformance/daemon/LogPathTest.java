package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.conformance.fixture.BusyboxRegistry;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.PodSandboxConfig;
import dev.kona.cri.api.v1.ReopenContainerLogRequest;
import dev.kona.cri.api.v1.RunPodSandboxRequest;
import dev.kona.cri.api.v1.StartContainerRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A container's log_path stays inside its pod's log_directory: no absolute paths, no {@code ..},
 * no detour through a symlink in the log directory, also when ReopenContainerLog opens the file
 * again after the directory was swapped.
 */
class LogPathTest extends OnePodSuite {

  @RegisterExtension static final BusyboxRegistry registry = new BusyboxRegistry();

  LogPathTest() {
    super(registry, registry::image, "logpath");
  }

  private String create(String name, String logPath, String... command) {
    ContainerConfig config = ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName(name))
        .setImage(ImageSpec.newBuilder().setImage(registry.image()))
        .addAllCommand(List.of(command.length == 0 ? new String[] {"true"} : command))
        .setLogPath(logPath)
        .build();
    return kona.runtime().createContainer(CreateContainerRequest.newBuilder()
        .setPodSandboxId(pod).setConfig(config)
        .setSandboxConfig(PodSandboxTest.config("logpath")).build()).getContainerId();
  }

  private void assertRefused(String logPath) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> create("c", logPath));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
    assertTrue(e.getStatus().getDescription().contains("log_path"), e.getStatus().getDescription());
  }

  @Test
  void createContainer_logPathWithDotDot_refusedAndNothingWrittenOutside() {
    assertRefused("../escaped.log");
    assertRefused("c/../../escaped.log");
    assertFalse(Files.exists(root.resolve("escaped.log")), "a log file was made outside log_directory");
  }

  @Test
  void createContainer_absoluteLogPath_refusedAndNothingWritten() {
    Path target = root.resolve("absolute.log");
    assertRefused(target.toString());
    assertFalse(Files.exists(target), "a log file was made at an absolute log_path");
  }

  @Test
  void createContainer_logPathThroughSymlinkInLogDirectory_refused() throws Exception {
    Path outside = Files.createDirectories(root.resolve("outside"));
    Files.createSymbolicLink(Files.createDirectories(root.resolve("logs")).resolve("link"), outside);
    assertRefused("link/0.log");
    assertEquals(List.of(), Files.list(outside).toList(), "a log file was made through the symlink");
  }

  @Test
  void createContainer_logFileIsSymlink_refused() throws Exception {
    Path outside = root.resolve("outside.log");
    Files.createDirectories(root.resolve("logs/c"));
    Files.createSymbolicLink(root.resolve("logs/c/0.log"), outside);
    assertRefused("c/0.log");
    assertFalse(Files.exists(outside), "the symlinked log file was created");
  }

  @Test
  void reopenContainerLog_afterLogDirectorySwappedForSymlink_writesNothingOutside() throws Exception {
    String id = create("c", "c/0.log", "sh", "-c", "while :; do echo tick; sleep 0.05; done");
    kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    Path outside = Files.createDirectories(root.resolve("outside"));
    Files.move(root.resolve("logs/c"), root.resolve("logs/c.old"));
    Files.createSymbolicLink(root.resolve("logs/c"), outside);
    try {
      kona.runtime().reopenContainerLog(ReopenContainerLogRequest.newBuilder().setContainerId(id).build());
    } catch (StatusRuntimeException refused) {
      // refusing is fine; writing through the symlink is not
    }
    Thread.sleep(300);
    assertEquals(List.of(), Files.list(outside).toList(), "the reopened log went through the symlink");
  }

  @Test
  void runPodSandbox_relativeLogDirectory_invalidArgument() {
    PodSandboxConfig config = PodSandboxTest.config("relative").toBuilder().setLogDirectory("var/log/pods/x").build();
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> kona.runtime().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
    assertTrue(e.getStatus().getDescription().contains("log_directory"), e.getStatus().getDescription());
  }
}
