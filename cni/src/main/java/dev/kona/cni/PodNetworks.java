package dev.kona.cni;

import java.util.Set;

/**
 * Pod networking as the runtime service sees it. Calls for one sandbox must not overlap (the
 * implementation serialises them anyway); calls for different sandboxes may run in parallel; {@link
 * #gc} waits for running setups and teardowns and holds new ones back. Host-network pods never call
 * this.
 */
public interface PodNetworks {

  /**
   * ADD the pod to the network, after its netns is pinned. If any plugin fails, DEL is run before
   * the error is thrown, so the caller only has to unpin the netns.
   *
   * @throws dev.kona.common.error.FailedPreconditionException if no network is configured
   * @throws dev.kona.common.error.KonaException naming the plugin, with the plugin's error code,
   *     msg and details, or a timeout
   */
  PodNetworkResult setUp(PodNetworkRequest request);

  /**
   * DEL the pod from the network. Idempotent: a pod that was never set up, a netns that is gone, or a
   * missing cache entry still reach the plugins, so IPAM releases the address. Throws if a plugin
   * fails, so that the kubelet retries StopPodSandbox.
   */
  void tearDown(PodNetworkRequest request);

  /** CHECK the pod's network against the cached ADD result (skipped if the network disables it). */
  void check(PodNetworkRequest request);

  /** The NetworkReady condition: config found and valid, plugins present, CNI 1.1 STATUS clean. */
  NetworkStatus status();

  /**
   * At start-up: DEL every cached attachment whose sandbox is not in {@code liveSandboxIds}, then
   * CNI 1.1 GC with the live ones as {@code cni.dev/valid-attachments}.
   */
  void gc(Set<String> liveSandboxIds);
}
