package dev.kona.runtime.cri;

import dev.kona.cri.api.v1.UpdateRuntimeConfigRequest;
import dev.kona.cri.api.v1.UpdateRuntimeConfigResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UpdateRuntimeConfig: the kubelet sends the node's pod CIDR. It is recorded (and shown by
 * Status verbose); CNI plugins with their own IPAM config do not need it.
 */
final class UpdateRuntimeConfig {

  private static final Logger LOG = LoggerFactory.getLogger(UpdateRuntimeConfig.class);

  private final PodCidr podCidr;

  UpdateRuntimeConfig(PodCidr podCidr) {
    this.podCidr = podCidr;
  }

  UpdateRuntimeConfigResponse handle(UpdateRuntimeConfigRequest request) {
    String cidr = request.getRuntimeConfig().getNetworkConfig().getPodCidr();
    if (!cidr.equals(podCidr.get())) {
      LOG.info("pod CIDR set to \"{}\" (was \"{}\")", cidr, podCidr.get());
      podCidr.set(cidr);
    }
    return UpdateRuntimeConfigResponse.getDefaultInstance();
  }
}
