package dev.kona.runtime.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kona.cri.api.v1.HugepageLimit;
import dev.kona.cri.api.v1.LinuxContainerResources;
import dev.kona.engine.ContainerId;
import dev.kona.engine.ContainerState;
import dev.kona.engine.ContainerStatus;
import dev.kona.runtime.container.ContainerRecord;
import dev.kona.runtime.container.ContainerSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ContainerStatus from a container's record: the resources in force are the recorded ones. */
class ContainerProtosTest {

  @Test
  void toStatus_reportsTheResourcesInForce() {
    ContainerSpec.Resources r = new ContainerSpec.Resources(100_000, 50_000, 512, 64L << 20, 64L << 20, -997,
        "0-1", "0", Map.of("2MB", 4L << 20), Map.of("memory.high", "50000000"));
    ContainerSpec spec = new ContainerSpec("app", 0, "busybox", List.of(), List.of(), "", List.of(), List.of(),
        List.of(), Map.of(), Map.of(), "", false, false, false, r, null);
    ContainerRecord record = new ContainerRecord("c1", "pod1", spec, "sha256:00", 1, "/b", "", 15, "", "");
    ContainerState state = new ContainerState(new ContainerId("c1"), ContainerStatus.RUNNING, 42,
        Instant.ofEpochSecond(1), Instant.ofEpochSecond(2), null);

    LinuxContainerResources linux = ContainerProtos.toStatus(record, state).getResources().getLinux();

    assertEquals(LinuxContainerResources.newBuilder().setCpuPeriod(100_000).setCpuQuota(50_000).setCpuShares(512)
        .setMemoryLimitInBytes(64L << 20).setMemorySwapLimitInBytes(64L << 20).setOomScoreAdj(-997)
        .setCpusetCpus("0-1").setCpusetMems("0")
        .addHugepageLimits(HugepageLimit.newBuilder().setPageSize("2MB").setLimit(4L << 20))
        .putUnified("memory.high", "50000000").build(), linux);
  }
}
