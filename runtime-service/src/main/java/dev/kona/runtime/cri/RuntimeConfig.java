package dev.kona.runtime.cri;

import dev.kona.cri.api.v1.CgroupDriver;
import dev.kona.cri.api.v1.LinuxRuntimeConfiguration;
import dev.kona.cri.api.v1.RuntimeConfigRequest;
import dev.kona.cri.api.v1.RuntimeConfigResponse;

/** RuntimeConfig: the cgroup driver, which the kubelet adopts instead of its own flag. */
final class RuntimeConfig {

  private final RuntimeConfigResponse response;

  RuntimeConfig(dev.kona.runtime.CgroupDriver driver) {
    CgroupDriver wire =
        switch (driver) {
          case CGROUPFS -> CgroupDriver.CGROUPFS;
          case SYSTEMD -> CgroupDriver.SYSTEMD;
        };
    this.response =
        RuntimeConfigResponse.newBuilder()
            .setLinux(LinuxRuntimeConfiguration.newBuilder().setCgroupDriver(wire))
            .build();
  }

  RuntimeConfigResponse handle(RuntimeConfigRequest request) {
    return response;
  }
}
