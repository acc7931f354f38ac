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
 *
 * <p>Where AppArmor is enabled, containerd loads and applies its default profile
 * (cri-containerd.apparmor.d) for runtime/default. Kona has no such profile, so the decision is:
 * an explicit runtime/default (the apparmor field's RuntimeDefault or the deprecated
 * apparmor_profile "runtime/default") is refused there too, rather than accepted and not applied;
 * a container that names no profile runs unconfined, as it would on a node without AppArmor.
 * Loading a default profile (apparmor_parser) and applying it before exec (writing "exec
 * &lt;profile&gt;" to /proc/self/attr/apparmor/exec in the helper) is left until a node with AppArmor
 * can test it.
 */
record HostSecurityModules(boolean apparmor, boolean selinux) {

  static final HostSecurityModules HOST = detect();
  private static final String RUNTIME_DEFAULT = "runtime/default";

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
      } else if (p.getProfileType() == SecurityProfile.ProfileType.RuntimeDefault && apparmor) {
        profile = RUNTIME_DEFAULT;
      }
    } else if (context.getApparmorProfile().startsWith("localhost/")) {
      field = "config.linux.security_context.apparmor_profile";
      profile = context.getApparmorProfile().substring("localhost/".length());
    } else if (context.getApparmorProfile().equals(RUNTIME_DEFAULT) && apparmor) {
      field = "config.linux.security_context.apparmor_profile";
      profile = RUNTIME_DEFAULT;
    }
    if (profile.isEmpty()) {
      return;
    }
    throw new FailedPreconditionException(field + ": AppArmor profile \"" + profile + "\" cannot be applied: "
        + (apparmor ? "Kona's engine does not load AppArmor profiles yet" : "AppArmor is not enabled on this node"));
  }
}
