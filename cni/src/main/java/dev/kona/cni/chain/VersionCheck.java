package dev.kona.cni.chain;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kona.cni.config.CniVersion;
import dev.kona.cni.config.NetworkConfigList;
import dev.kona.cni.config.PluginConfig;
import dev.kona.cni.exec.CniCommand;
import dev.kona.cni.exec.PluginInvoker;
import dev.kona.cni.result.ResultTranslator;
import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.KonaException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks each plugin (VERSION) which spec versions it speaks, so that a conflist newer than its
 * plugins shows as not ready before any pod fails on it. Answers are cached per binary (path, size,
 * mtime). A plugin that cannot answer is let through: ADD will say what is wrong.
 */
public final class VersionCheck {

  private static final Logger log = LoggerFactory.getLogger(VersionCheck.class);

  private final PluginInvoker invoker;
  private final Map<String, Set<CniVersion>> byBinary = new ConcurrentHashMap<>();

  public VersionCheck(PluginInvoker invoker) {
    this.invoker = invoker;
  }

  /** Throws {@link FailedPreconditionException} naming the plugin if it does not speak the network's version. */
  public void run(NetworkConfigList network) {
    for (PluginConfig plugin : network.plugins()) {
      Set<CniVersion> supported = supported(network, plugin);
      if (supported != null && !supported.contains(network.cniVersion())) {
        throw new FailedPreconditionException(
            "network "
                + network.name()
                + " in "
                + network.origin()
                + " needs CNI "
                + network.cniVersion()
                + ", but plugin "
                + plugin.type()
                + " supports "
                + supported);
      }
    }
  }

  private Set<CniVersion> supported(NetworkConfigList network, PluginConfig plugin) {
    Path binary = invoker.binary(plugin);
    String key;
    try {
      key = binary + ":" + Files.size(binary) + ":" + Files.getLastModifiedTime(binary).toMillis();
    } catch (IOException e) {
      return null;
    }
    Set<CniVersion> cached = byBinary.get(key);
    if (cached != null) {
      return cached;
    }
    try {
      ObjectNode config = JsonNodeFactory.instance.objectNode();
      config.put("cniVersion", network.cniVersion().toString());
      Set<CniVersion> versions =
          ResultTranslator.toVersions(invoker.invoke(network, plugin, CniCommand.VERSION, null, config));
      byBinary.put(key, versions);
      return versions;
    } catch (KonaException e) {
      log.warn("ignore VERSION of CNI plugin {}: {}", plugin.type(), e.getMessage());
      return null;
    }
  }
}
