package dev.kona.cni.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * One entry of a conflist's {@code plugins}.
 *
 * @param type the plugin binary's name
 * @param capabilities the capabilities the plugin declares as {@code true}
 * @param raw the plugin object as written, unknown keys kept; copied before any change
 */
public record PluginConfig(String type, Set<String> capabilities, ObjectNode raw) {

  public PluginConfig {
    capabilities = Set.copyOf(capabilities);
    raw = raw.deepCopy();
  }

  @Override
  public ObjectNode raw() {
    return raw.deepCopy();
  }
}
