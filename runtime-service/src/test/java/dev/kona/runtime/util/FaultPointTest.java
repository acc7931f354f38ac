package dev.kona.runtime.util;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.runtime.util.FaultPoint.When;
import org.junit.jupiter.api.Test;

class FaultPointTest {

  @Test
  void matches_afterByDefault() {
    assertTrue(FaultPoint.matches("create_container:rootfs", "create_container", "rootfs", When.AFTER));
    assertFalse(FaultPoint.matches("create_container:rootfs", "create_container", "rootfs", When.BEFORE));
    assertTrue(FaultPoint.matches("create_container:rootfs:after", "create_container", "rootfs", When.AFTER));
  }

  @Test
  void matches_beforeOnlyWhenNamed() {
    assertTrue(FaultPoint.matches("run_pod_sandbox:network:before", "run_pod_sandbox", "network", When.BEFORE));
    assertFalse(FaultPoint.matches("run_pod_sandbox:network:before", "run_pod_sandbox", "network", When.AFTER));
  }

  @Test
  void matches_neverAnotherStepOrOperation() {
    assertFalse(FaultPoint.matches("run_pod_sandbox:network", "stop_pod_sandbox", "network", When.AFTER));
    assertFalse(FaultPoint.matches("create_container:rootfs", "create_container", "rootfs_x", When.AFTER));
    assertFalse(FaultPoint.matches("create_container", "create_container", "rootfs", When.AFTER));
  }
}
