package dev.kona.cni.chain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kona.cni.cache.CachedAttachment;
import dev.kona.cni.cache.ResultCache;
import dev.kona.cni.config.CniVersion;
import dev.kona.cni.config.NetworkConfigList;
import dev.kona.cni.config.PluginConfig;
import dev.kona.cni.exec.CniCommand;
import dev.kona.cni.exec.PluginInvoker;
import dev.kona.cni.exec.RequestConfig;
import dev.kona.cni.exec.RuntimeArgs;
import dev.kona.common.error.NotFoundException;

/** CHECK of an attachment: plugins in order, each given the cached ADD result; skipped if disabled. */
public final class CheckNetwork {

  private final PluginInvoker invoker;
  private final ResultCache cache;

  public CheckNetwork(PluginInvoker invoker, ResultCache cache) {
    this.invoker = invoker;
    this.cache = cache;
  }

  public void run(NetworkConfigList network, RuntimeArgs args) {
    if (network.disableCheck() || !network.cniVersion().atLeast(CniVersion.V0_4_0)) {
      return;
    }
    JsonNode prevResult =
        cache
            .get(network.name(), args.containerId(), args.ifName())
            .map(CachedAttachment::result)
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "check network "
                            + network.name()
                            + " of "
                            + args.containerId()
                            + ": no cached ADD result"));
    for (PluginConfig plugin : network.plugins()) {
      invoker.invoke(
          network, plugin, CniCommand.CHECK, args, RequestConfig.forAttachment(network, plugin, args, prevResult));
    }
  }
}
