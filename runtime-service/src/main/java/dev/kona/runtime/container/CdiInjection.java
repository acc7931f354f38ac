package dev.kona.runtime.container;

import dev.kona.oci.spec.Hook;
import dev.kona.oci.spec.Hooks;
import dev.kona.runtime.cdi.CdiEdits;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the container edits of CDI devices (KEP-4009) to what the OCI spec is built from, as the
 * CDI specification says: env after the container's own, device nodes made and allowed in the
 * device cgroup with the spec's permissions, bind mounts, additional gids, and OCI hooks.
 */
final class CdiInjection {

  private CdiInjection() {}

  static ContainerSpec apply(ContainerSpec spec, CdiEdits edits) {
    if (edits.isEmpty()) {
      return spec;
    }
    List<ContainerSpec.EnvVar> envs = new ArrayList<>(spec.envs());
    for (String kv : edits.env()) {
      int eq = kv.indexOf('=');
      envs.add(new ContainerSpec.EnvVar(kv.substring(0, eq), kv.substring(eq + 1)));
    }
    List<ContainerSpec.DeviceSpec> devices = new ArrayList<>(spec.devices());
    for (CdiEdits.DeviceNode n : edits.deviceNodes()) {
      devices.add(new ContainerSpec.DeviceSpec(n.path(), n.hostPath(), n.permissions(), n.fileMode(), n.uid(), n.gid(),
          n.type(), n.major(), n.minor()));
    }
    List<ContainerSpec.MountSpec> mounts = new ArrayList<>(spec.mounts());
    for (CdiEdits.Mount m : edits.mounts()) {
      String propagation = m.options().contains("rshared") || m.options().contains("shared") ? "rshared"
          : m.options().contains("rslave") || m.options().contains("slave") ? "rslave" : "rprivate";
      mounts.add(new ContainerSpec.MountSpec(m.containerPath(), m.hostPath(), m.options().contains("ro"), propagation));
    }
    ContainerSpec.Security s = spec.security();
    List<Long> groups = new ArrayList<>(s.supplementalGroups());
    edits.additionalGids().stream().filter(g -> !groups.contains(g)).forEach(groups::add);
    ContainerSpec.Security security = new ContainerSpec.Security(s.privileged(), s.addCapabilities(),
        s.dropCapabilities(), s.addAmbientCapabilities(), s.runAsUser(), s.runAsUsername(), s.runAsGroup(), groups,
        s.readonlyRootfs(), s.noNewPrivs(), s.maskedPaths(), s.readonlyPaths(), s.seccomp(), s.seccompLocalhostRef(),
        s.pidMode(), s.targetId(), s.strictSupplementalGroups());
    return new ContainerSpec(spec.name(), spec.attempt(), spec.image(), spec.command(), spec.args(), spec.workingDir(),
        envs, mounts, devices, spec.labels(), spec.annotations(), spec.logPath(), spec.stdin(), spec.stdinOnce(),
        spec.tty(), spec.resources(), security, spec.stopSignal());
  }

  /** The OCI hooks of the edits, null for none. */
  static Hooks hooks(CdiEdits edits) {
    if (edits.hooks().isEmpty()) {
      return null;
    }
    List<Hook> prestart = new ArrayList<>();
    List<Hook> createRuntime = new ArrayList<>();
    List<Hook> createContainer = new ArrayList<>();
    List<Hook> startContainer = new ArrayList<>();
    List<Hook> poststart = new ArrayList<>();
    List<Hook> poststop = new ArrayList<>();
    for (CdiEdits.Hook h : edits.hooks()) {
      Hook hook = new Hook(h.path(), h.args(), h.env(), h.timeout());
      switch (h.hookName()) {
        case "prestart" -> prestart.add(hook);
        case "createRuntime" -> createRuntime.add(hook);
        case "createContainer" -> createContainer.add(hook);
        case "startContainer" -> startContainer.add(hook);
        case "poststart" -> poststart.add(hook);
        default -> poststop.add(hook);
      }
    }
    return new Hooks(prestart, createRuntime, createContainer, startContainer, poststart, poststop);
  }
}
