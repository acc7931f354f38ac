package dev.kona.cni.chain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kona.cni.cache.CachedAttachment;
import dev.kona.cni.cache.ResultCache;
import dev.kona.cni.config.NetworkConfigList;
import dev.kona.cni.config.PluginConfig;
import dev.kona.cni.exec.CniCommand;
import dev.kona.cni.exec.PluginInvoker;
import dev.kona.cni.exec.RequestConfig;
import dev.kona.cni.exec.RuntimeArgs;

/**
 * ADD of an attachment: every plugin in order, each given the previous one's result; the final
 * result is cached. A cache entry without result is written first, so that an attachment whose ADD
 * was cut short by a crash is still known to GC and gets its DEL.
 */
public final class AddNetwork {

  private final PluginInvoker invoker;
  private final ResultCache cache;

  public AddNetwork(PluginInvoker invoker, ResultCache cache) {
    this.invoker = invoker;
    this.cache = cache;
  }

  /**
   * Returns the raw final result. On failure nothing is undone here: the caller runs DEL. Callers
   * check {@link PluginInvoker#requireBinaries} first, so a missing binary changes nothing.
   */
  public JsonNode run(NetworkConfigList network, RuntimeArgs args) {
    cache.put(new CachedAttachment(network.name(), args, network.json(), null));
    JsonNode result = null;
    for (PluginConfig plugin : network.plugins()) {
      result =
          invoker.invoke(
              network, plugin, CniCommand.ADD, args, RequestConfig.forAttachment(network, plugin, args, result));
    }
    cache.put(new CachedAttachment(network.name(), args, network.json(), result));
    return result;
  }
}
