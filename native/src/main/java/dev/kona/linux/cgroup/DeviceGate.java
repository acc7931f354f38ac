package dev.kona.linux.cgroup;

import dev.kona.oci.spec.DeviceRule;
import java.nio.file.Path;
import java.util.List;

/**
 * The cgroup v2 device controller, the OS edge of {@link CgroupV2Manager}: v2 has no
 * devices.allow, only a {@code BPF_PROG_TYPE_CGROUP_DEVICE} program attached to the cgroup.
 * {@link BpfDeviceGate} is the kernel's; tests of v2 logic on a recorded tree record the rules.
 *
 * <p>Lifecycle: the cgroup holds the attached program; removing the cgroup detaches and frees it,
 * so there is nothing to close. Errors are the Kona family: rules the program cannot express are
 * InvalidArgument, a refused load or attach the errno's kind.
 */
@FunctionalInterface
interface DeviceGate {

  /**
   * Makes {@code rules} (OCI device rules, in order) the cgroup's device policy: a new program is
   * attached and the one attached before, if any, detached.
   */
  void replace(Path cgroupDir, List<DeviceRule> rules);
}
