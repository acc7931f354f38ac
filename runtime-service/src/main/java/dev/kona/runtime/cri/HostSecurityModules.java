package dev.kona.runtime.cri;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.cri.api.v1.LinuxContainerSecurityContext;
import dev.kona.cri.api.v1.SecurityProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Linux security modules this node has, and what a container may ask of them. Kona's engine
 * applies neither AppArmor nor SELinux labels itself. As containerd does, runtime/default and
 * unconfined cost nothing where the module is absent, and SELinux options are ignored on a node
 * without SELinux; but a named AppArmor profile is refused with a reason rather than silently
 * run unconfined, so a pod that depends on its profile never runs without it.
 */
record HostSecurityModules(boolean apparmor, boolean selinux) {

  static final HostSecurityModules HOST = detect();

  static HostSecurityModules detect() {
    return new HostSecurityModules(apparmorEnabled(), Files.exists(Path.of("/sys/fs/selinux/enforce")));
  }

  private static boolean apparmorEnabled() {
    try {
      return Files.readString(Path.of("/sys/module/apparmor/parameters/enabled")).strip().equals("Y");
    } catch (IOException absent) {
      return false;
    }
  }

  /** Throws FAILED_PRECONDITION, naming the field, for a profile this node cannot apply. */
  void check(LinuxContainerSecurityContext context) {
    String field = "config.linux.security_context.apparmor";
    String profile = "";
    if (context.hasApparmor()) {
      SecurityProfile p = context.getApparmor();
      if (p.getProfileType() == SecurityProfile.ProfileType.Localhost) {
        profile = p.getLocalhostRef();
      }
    } else if (context.getApparmorProfile().startsWith("localhost/")) {
      field = "config.linux.security_context.apparmor_profile";
      profile = context.getApparmorProfile().substring("localhost/".length());
    }
    if (profile.isEmpty()) {
      return;
    }
    throw new FailedPreconditionException(field + ": AppArmor profile \"" + profile + "\" cannot be applied: "
        + (apparmor ? "Kona's engine does not load AppArmor profiles yet" : "AppArmor is not enabled on this node"));
  }
}
