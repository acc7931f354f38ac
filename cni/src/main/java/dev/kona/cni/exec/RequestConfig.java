package dev.kona.cni.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kona.cni.config.NetworkConfigList;
import dev.kona.cni.config.PluginConfig;
import java.util.Map;

/**
 * Derives the config a plugin reads on stdin from its entry in the conflist (spec section 3): name
 * and cniVersion injected, {@code capabilities} removed, {@code runtimeConfig} holding the capability
 * arguments the plugin declares, {@code prevResult} when chained. Other keys pass through unchanged.
 */
public final class RequestConfig {

  private RequestConfig() {}

  /** For ADD, CHECK and DEL; {@code prevResult} is null for the first ADD of a chain. */
  public static ObjectNode forAttachment(
      NetworkConfigList network, PluginConfig plugin, RuntimeArgs args, JsonNode prevResult) {
    ObjectNode config = base(network, plugin);
    ObjectNode capabilityArgs = args.capabilityArgs();
    ObjectNode runtimeConfig = config.objectNode();
    for (String capability : plugin.capabilities()) {
      JsonNode value = capabilityArgs.get(capability);
      if (value != null && !value.isNull()) {
        runtimeConfig.set(capability, value);
      }
    }
    if (!runtimeConfig.isEmpty()) {
      config.set("runtimeConfig", runtimeConfig);
    }
    if (prevResult != null && !prevResult.isNull()) {
      config.set("prevResult", prevResult.deepCopy());
    }
    return config;
  }

  /** For STATUS and GC, which have no attachment; {@code extra} holds e.g. the valid attachments. */
  public static ObjectNode forNetwork(
      NetworkConfigList network, PluginConfig plugin, Map<String, JsonNode> extra) {
    ObjectNode config = base(network, plugin);
    extra.forEach(config::set);
    return config;
  }

  private static ObjectNode base(NetworkConfigList network, PluginConfig plugin) {
    ObjectNode config = plugin.raw();
    config.put("cniVersion", network.cniVersion().toString());
    config.put("name", network.name());
    config.remove("capabilities");
    config.remove("runtimeConfig");
    config.remove("prevResult");
    return config;
  }
}
