package dev.kona.cni.chain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kona.cni.cache.CachedAttachment;
import dev.kona.cni.cache.ResultCache;
import dev.kona.cni.config.CniVersion;
import dev.kona.cni.config.ConfListParser;
import dev.kona.cni.config.NetworkConfigList;
import dev.kona.cni.config.PluginConfig;
import dev.kona.cni.exec.CniCommand;
import dev.kona.cni.exec.PluginInvoker;
import dev.kona.cni.exec.RequestConfig;
import dev.kona.cni.exec.RuntimeArgs;
import dev.kona.common.error.KonaException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DEL of an attachment: plugins in reverse order, each given the cached ADD result as prevResult
 * (spec 0.4.0 and later). The config comes from the cache when there is one — the spec wants DEL to
 * run with the config ADD ran with, even if the directory changed since. The cache entry goes only
 * when every plugin succeeded, so a failed DEL can be retried.
 */
public final class DelNetwork {

  private static final Logger log = LoggerFactory.getLogger(DelNetwork.class);

  private final PluginInvoker invoker;
  private final ResultCache cache;

  public DelNetwork(PluginInvoker invoker, ResultCache cache) {
    this.invoker = invoker;
    this.cache = cache;
  }

  /**
   * @param current the network in the config dir now, used when nothing is cached; may be null
   * @param args the attachment; its netns may be empty when the netns is gone
   * @return false if there was neither a cached nor a current config, so no plugin could be called
   */
  public boolean run(NetworkConfigList current, String networkName, RuntimeArgs args) {
    Optional<CachedAttachment> cached = cache.get(networkName, args.containerId(), args.ifName());
    if (cached.isPresent()) {
      // The capability args ADD had (port mappings...) are what the plugins must undo.
      args = cached.get().args().withNetns(args.netns());
    }
    NetworkConfigList network = cached.flatMap(DelNetwork::cachedConfig).orElse(current);
    if (network == null) {
      return false;
    }
    JsonNode prevResult =
        network.cniVersion().atLeast(CniVersion.V0_4_0)
            ? cached.map(CachedAttachment::result).orElse(null)
            : null;
    List<PluginConfig> plugins = network.plugins();
    for (int i = plugins.size() - 1; i >= 0; i--) {
      PluginConfig plugin = plugins.get(i);
      invoker.invoke(
          network, plugin, CniCommand.DEL, args, RequestConfig.forAttachment(network, plugin, args, prevResult));
    }
    cache.remove(network.name(), args.containerId(), args.ifName());
    if (!network.name().equals(networkName)) {
      cache.remove(networkName, args.containerId(), args.ifName());
    }
    return true;
  }

  /** DEL of a cached attachment with its own config (GC of stale entries). */
  public void run(CachedAttachment entry) {
    String netns = entry.args().netns();
    RuntimeArgs args = entry.args().withNetns(!netns.isEmpty() && Files.exists(Path.of(netns)) ? netns : "");
    if (!run(null, entry.networkName(), args)) {
      // Unreadable config in the entry: nothing can be called, and keeping it would retry forever.
      log.warn(
          "drop CNI cache entry of {} in network {}: its config cannot be read",
          entry.args().containerId(),
          entry.networkName());
      cache.remove(entry.networkName(), entry.args().containerId(), entry.args().ifName());
    }
  }

  private static Optional<NetworkConfigList> cachedConfig(CachedAttachment entry) {
    if (entry.configJson() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(ConfListParser.parse(null, entry.configJson()));
    } catch (KonaException e) {
      log.warn("ignore cached config of network {}: {}", entry.networkName(), e.getMessage());
      return Optional.empty();
    }
  }
}
