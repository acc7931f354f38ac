package dev.kona.runtime.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.common.error.InvalidArgumentException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapabilityPolicyTest {

  final CapabilityPolicy policy = new CapabilityPolicy(CapabilityPolicy.forLastCap(40));

  @Test
  void defaults_addAndDrop() {
    List<String> caps = policy.effective(false, List.of("NET_ADMIN"), List.of("net_raw", "CAP_KILL"));
    assertTrue(caps.contains("CAP_NET_ADMIN"));
    assertFalse(caps.contains("CAP_NET_RAW"));
    assertFalse(caps.contains("CAP_KILL"));
    assertTrue(caps.contains("CAP_CHOWN"));
    assertEquals(CapabilityPolicy.DEFAULTS.size() - 1, caps.size());
  }

  @Test
  void dropAll_keepsOnlyTheAdds() {
    assertEquals(List.of("CAP_SYS_ADMIN"), policy.effective(false, List.of("SYS_ADMIN"), List.of("ALL")));
    assertEquals(List.of(), policy.effective(false, List.of(), List.of("ALL")));
  }

  @Test
  void addAll_andPrivileged_giveWhatTheHostHas() {
    assertEquals(41, policy.effective(false, List.of("ALL"), List.of()).size());
    CapabilityPolicy limited = new CapabilityPolicy(CapabilityPolicy.forLastCap(20));
    assertEquals(21, limited.effective(true, List.of(), List.of()).size());
  }

  @Test
  void unknownCapability_isRefused() {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> policy.effective(false, List.of("FLY"), List.of()));
    assertEquals("config.linux.security_context.capabilities.add_capabilities: unknown capability \"FLY\"", e.getMessage());
  }
}
