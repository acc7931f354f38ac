package dev.kona.conformance.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.conformance.fixture.BusyboxRegistry;
import dev.kona.cri.api.v1.ContainerConfig;
import dev.kona.cri.api.v1.ContainerMetadata;
import dev.kona.cri.api.v1.ContainerState;
import dev.kona.cri.api.v1.ContainerStatusRequest;
import dev.kona.cri.api.v1.CreateContainerRequest;
import dev.kona.cri.api.v1.ImageSpec;
import dev.kona.cri.api.v1.ReopenContainerLogRequest;
import dev.kona.cri.api.v1.StartContainerRequest;
import dev.kona.cri.api.v1.StopContainerRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Log rotation the kubelet's way (rename the file, then ReopenContainerLog) while a container
 * writes as fast as it can: no line may be lost or written twice across the rotated files.
 */
class LogRotationTest extends OnePodSuite {

  private static final Pattern ENTRY = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z stdout F (\\d+)");
  private static final int ROTATIONS = 20;

  @RegisterExtension static final BusyboxRegistry registry = new BusyboxRegistry();

  LogRotationTest() {
    super(registry, registry::image, "rotate");
  }

  @Test
  void renameAndReopen_underSteadyOutput_everyLineExactlyOnce() throws Exception {
    ContainerConfig config = ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName("counter"))
        .setImage(ImageSpec.newBuilder().setImage(registry.image()))
        .addAllCommand(List.of("sh", "-c", "i=0; while :; do echo $i; i=$((i+1)); done"))
        .setLogPath("counter/0.log")
        .build();
    String id = kona.runtime().createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(pod)
        .setConfig(config).setSandboxConfig(PodSandboxTest.config("rotate")).build()).getContainerId();
    kona.runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());

    Path log = root.resolve("logs/counter/0.log");
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < ROTATIONS; i++) {
      Thread.sleep(100);
      Path rotated = log.resolveSibling("0.log." + i);
      Files.move(log, rotated);
      files.add(rotated);
      kona.runtime().reopenContainerLog(ReopenContainerLogRequest.newBuilder().setContainerId(id).build());
    }
    Thread.sleep(100);
    kona.runtime().stopContainer(StopContainerRequest.newBuilder().setContainerId(id).setTimeout(5).build());
    assertEquals(ContainerState.CONTAINER_EXITED, kona.runtime().containerStatus(
        ContainerStatusRequest.newBuilder().setContainerId(id).build()).getStatus().getState());
    files.add(log);

    TreeMap<Long, Integer> seen = new TreeMap<>();
    List<Long> perFile = new ArrayList<>();
    for (Path file : files) {
      long count = 0;
      for (String line : Files.readAllLines(file)) {
        Matcher m = ENTRY.matcher(line);
        assertTrue(m.matches(), file.getFileName() + ": not a full CRI log entry: \"" + line + "\"");
        seen.merge(Long.parseLong(m.group(1)), 1, Integer::sum);
        count++;
      }
      perFile.add(count);
    }
    long last = seen.lastKey();
    List<Long> missing = new ArrayList<>();
    List<Long> twice = new ArrayList<>();
    for (long n = 0; n <= last; n++) {
      int times = seen.getOrDefault(n, 0);
      if (times == 0 && missing.size() < 10) {
        missing.add(n);
      } else if (times > 1 && twice.size() < 10) {
        twice.add(n);
      }
    }
    assertEquals(List.of(), missing, "lines lost");
    assertEquals(List.of(), twice, "lines written twice");
    assertEquals(last + 1, seen.size());
    assertTrue(perFile.stream().filter(c -> c > 0).count() > ROTATIONS / 2, "output spread over the files: " + perFile);
    System.out.printf("log rotation: %d lines over %d files, %d rotations, per file %s%n", last + 1, files.size(),
        ROTATIONS, perFile);
  }
}
