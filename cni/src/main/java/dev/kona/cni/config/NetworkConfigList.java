package dev.kona.cni.config;

import java.nio.file.Path;
import java.util.List;

/**
 * A loaded network configuration list.
 *
 * @param name the network name
 * @param cniVersion the version selected from cniVersion and cniVersions (the highest not newer than
 *     {@link CniVersion#LATEST})
 * @param disableCheck runtimes must not CHECK this network
 * @param disableGC runtimes must not GC this network
 * @param plugins the plugins in execution order for ADD
 * @param source the file it came from, or null when it came from a cache entry
 * @param json the file's content, cached with each result so that DEL can use the same config
 */
public record NetworkConfigList(
    String name,
    CniVersion cniVersion,
    boolean disableCheck,
    boolean disableGC,
    List<PluginConfig> plugins,
    Path source,
    String json) {

  public NetworkConfigList {
    plugins = List.copyOf(plugins);
  }

  /** Where this config came from, for messages. */
  public String origin() {
    return source != null ? source.toString() : "cached config of network " + name;
  }
}
