package dev.kona.runtime.cri;

import dev.kona.cri.api.v1.RuntimeCondition;
import dev.kona.cri.api.v1.RuntimeFeatures;
import dev.kona.cri.api.v1.RuntimeHandler;
import dev.kona.cri.api.v1.RuntimeHandlerFeatures;
import dev.kona.cri.api.v1.RuntimeStatus;
import dev.kona.cri.api.v1.StatusRequest;
import dev.kona.cri.api.v1.StatusResponse;
import dev.kona.runtime.NetworkReadiness;
import dev.kona.runtime.RuntimeHandlers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Status: the RuntimeReady and NetworkReady conditions the kubelet needs for NodeReady (it treats
 * fewer than two conditions as an error); the runtime handlers pods may name, with their features;
 * with verbose=true the info map crictl info prints.
 */
final class Status {

  static final String RUNTIME_READY = "RuntimeReady";
  static final String NETWORK_READY = "NetworkReady";

  private final NetworkReadiness network;
  private final Supplier<Map<String, String>> verboseInfo;
  private final PodCidr podCidr;
  private final RuntimeHandlers handlers;

  Status(NetworkReadiness network, Supplier<Map<String, String>> verboseInfo, PodCidr podCidr,
      RuntimeHandlers handlers) {
    this.network = network;
    this.verboseInfo = verboseInfo;
    this.podCidr = podCidr;
    this.handlers = handlers;
  }

  StatusResponse handle(StatusRequest request) {
    NetworkReadiness.Readiness net = network.check();
    RuntimeStatus status =
        RuntimeStatus.newBuilder()
            .addConditions(RuntimeCondition.newBuilder().setType(RUNTIME_READY).setStatus(true))
            .addConditions(
                RuntimeCondition.newBuilder()
                    .setType(NETWORK_READY)
                    .setStatus(net.ready())
                    .setReason(net.reason())
                    .setMessage(net.message()))
            .build();
    StatusResponse.Builder response = StatusResponse.newBuilder().setStatus(status);
    for (RuntimeHandlers.Handler h : handlers.all()) {
      response.addRuntimeHandlers(RuntimeHandler.newBuilder().setName(h.name())
          .setFeatures(RuntimeHandlerFeatures.newBuilder()
              .setRecursiveReadOnlyMounts(h.features().recursiveReadOnlyMounts())
              .setUserNamespaces(h.features().userNamespaces())));
    }
    // Kona applies SupplementalGroupsPolicy (Merge and Strict) itself, for every handler.
    response.setFeatures(RuntimeFeatures.newBuilder().setSupplementalGroupsPolicy(true));
    if (request.getVerbose()) {
      Map<String, String> info = new LinkedHashMap<>(verboseInfo.get());
      info.put("podCIDR", podCidr.get());
      response.putAllInfo(info);
    }
    return response.build();
  }
}
