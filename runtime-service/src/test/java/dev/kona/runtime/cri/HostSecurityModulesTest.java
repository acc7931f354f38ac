package dev.kona.runtime.cri;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.cri.api.v1.LinuxContainerSecurityContext;
import dev.kona.cri.api.v1.SELinuxOption;
import dev.kona.cri.api.v1.SecurityProfile;
import org.junit.jupiter.api.Test;

class HostSecurityModulesTest {

  private static final HostSecurityModules NONE = new HostSecurityModules(false, false);
  private static final HostSecurityModules APPARMOR = new HostSecurityModules(true, false);

  private static LinuxContainerSecurityContext apparmor(SecurityProfile.ProfileType type, String ref) {
    return LinuxContainerSecurityContext.newBuilder()
        .setApparmor(SecurityProfile.newBuilder().setProfileType(type).setLocalhostRef(ref)).build();
  }

  @Test
  void runtimeDefaultUnconfinedAndSelinuxOptions_runWhereTheModulesAreAbsent() {
    assertDoesNotThrow(() -> NONE.check(apparmor(SecurityProfile.ProfileType.RuntimeDefault, "")));
    assertDoesNotThrow(() -> NONE.check(apparmor(SecurityProfile.ProfileType.Unconfined, "")));
    assertDoesNotThrow(() -> NONE.check(LinuxContainerSecurityContext.newBuilder()
        .setApparmorProfile("runtime/default")
        .setSelinuxOptions(SELinuxOption.newBuilder().setType("spc_t")).build()));
  }

  @Test
  void aNamedProfile_isRefusedWithTheFieldAndTheReason() {
    var e = assertThrows(FailedPreconditionException.class,
        () -> NONE.check(apparmor(SecurityProfile.ProfileType.Localhost, "k8s-nginx")));
    assertEquals("config.linux.security_context.apparmor: AppArmor profile \"k8s-nginx\" cannot be applied: "
        + "AppArmor is not enabled on this node", e.getMessage());

    var deprecated = assertThrows(FailedPreconditionException.class, () -> APPARMOR.check(
        LinuxContainerSecurityContext.newBuilder().setApparmorProfile("localhost/k8s-nginx").build()));
    assertEquals("config.linux.security_context.apparmor_profile: AppArmor profile \"k8s-nginx\" cannot be applied: "
        + "Kona's engine does not load AppArmor profiles yet", deprecated.getMessage());
  }

  @Test
  void runtimeDefault_onAnAppArmorNode_isRefusedRatherThanRunUnconfined() {
    var e = assertThrows(FailedPreconditionException.class,
        () -> APPARMOR.check(apparmor(SecurityProfile.ProfileType.RuntimeDefault, "")));
    assertEquals("config.linux.security_context.apparmor: AppArmor profile \"runtime/default\" cannot be applied: "
        + "Kona's engine does not load AppArmor profiles yet", e.getMessage());
    var deprecated = assertThrows(FailedPreconditionException.class, () -> APPARMOR.check(
        LinuxContainerSecurityContext.newBuilder().setApparmorProfile("runtime/default").build()));
    assertEquals("config.linux.security_context.apparmor_profile: AppArmor profile \"runtime/default\" cannot be applied: "
        + "Kona's engine does not load AppArmor profiles yet", deprecated.getMessage());
    assertDoesNotThrow(() -> APPARMOR.check(apparmor(SecurityProfile.ProfileType.Unconfined, "")));
    assertDoesNotThrow(() -> APPARMOR.check(LinuxContainerSecurityContext.getDefaultInstance()), "no profile named");
  }
}
