package dev.kona.cni.chain;

import dev.kona.cni.config.CniVersion;
import dev.kona.cni.config.NetworkConfigList;
import dev.kona.cni.config.PluginConfig;
import dev.kona.cni.exec.CniCommand;
import dev.kona.cni.exec.PluginInvoker;
import dev.kona.cni.exec.RequestConfig;
import java.util.Map;

/** STATUS (spec 1.1.0) of every plugin in order; the first error says the network is not ready. */
public final class StatusNetwork {

  private final PluginInvoker invoker;

  public StatusNetwork(PluginInvoker invoker) {
    this.invoker = invoker;
  }

  /** Throws the first plugin's error; a network older than 1.1.0 has no STATUS and is ready. */
  public void run(NetworkConfigList network) {
    if (!network.cniVersion().atLeast(CniVersion.V1_1_0)) {
      return;
    }
    for (PluginConfig plugin : network.plugins()) {
      invoker.invoke(
          network, plugin, CniCommand.STATUS, null, RequestConfig.forNetwork(network, plugin, Map.of()));
    }
  }
}
