package dev.kona.cni.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kona.common.error.InvalidArgumentException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@code [cni]} section of kona.toml. Every key is optional; a missing key takes the default
 * below.
 *
 * @param confDir where network configurations live ({@code conf_dir}, /etc/cni/net.d)
 * @param binDirs where plugin binaries are searched, in order ({@code bin_dirs}, /opt/cni/bin then
 *     Debian's /usr/lib/cni)
 * @param cacheDir where ADD results are cached for DEL, CHECK and GC ({@code cache_dir}); null means
 *     {@code <state_root>/cni}, chosen by {@link #resolveCacheDir}
 * @param networkName the network to use ({@code network_name}); null means the first valid file in
 *     lexical order
 * @param pluginTimeoutSeconds how long one plugin call may take before it is killed
 * @param defaultSubnet IPv4 subnet of the default conflist written when conf_dir is empty
 * @param defaultSubnetV6 optional IPv6 subnet of the default conflist (dual-stack); null for none
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record CniConfig(
    Path confDir,
    List<Path> binDirs,
    Path cacheDir,
    String networkName,
    int pluginTimeoutSeconds,
    String defaultSubnet,
    String defaultSubnetV6) {

  public static final Path DEFAULT_CONF_DIR = Path.of("/etc/cni/net.d");
  public static final List<Path> DEFAULT_BIN_DIRS =
      List.of(Path.of("/opt/cni/bin"), Path.of("/usr/lib/cni"));
  public static final int DEFAULT_PLUGIN_TIMEOUT_SECONDS = 60;
  /** A private range away from 10.88.0.0/16, which containerd and the critest harness use. */
  public static final String DEFAULT_SUBNET = "10.244.0.0/16";

  public CniConfig {
    confDir = confDir == null ? DEFAULT_CONF_DIR : confDir;
    binDirs = binDirs == null || binDirs.isEmpty() ? DEFAULT_BIN_DIRS : List.copyOf(binDirs);
    pluginTimeoutSeconds =
        pluginTimeoutSeconds == 0 ? DEFAULT_PLUGIN_TIMEOUT_SECONDS : pluginTimeoutSeconds;
    defaultSubnet = defaultSubnet == null ? DEFAULT_SUBNET : defaultSubnet;
    if (pluginTimeoutSeconds < 0) {
      throw new InvalidArgumentException(
          "cni.plugin_timeout_seconds must be positive, got " + pluginTimeoutSeconds);
    }
    if (networkName != null && !NetworkName.isValid(networkName)) {
      throw new InvalidArgumentException(
          "cni.network_name must match [A-Za-z0-9][A-Za-z0-9_.-]*, got \"" + networkName + "\"");
    }
    Subnet.parse("cni.default_subnet", defaultSubnet);
    if (defaultSubnetV6 != null) {
      Subnet.parse("cni.default_subnet_v6", defaultSubnetV6);
    }
  }

  /** Binds the snake_case keys of the {@code [cni]} section. */
  @JsonCreator
  static CniConfig fromToml(
      @JsonProperty("conf_dir") Path confDir,
      @JsonProperty("bin_dirs") List<Path> binDirs,
      @JsonProperty("cache_dir") Path cacheDir,
      @JsonProperty("network_name") String networkName,
      @JsonProperty("plugin_timeout_seconds") int pluginTimeoutSeconds,
      @JsonProperty("default_subnet") String defaultSubnet,
      @JsonProperty("default_subnet_v6") String defaultSubnetV6) {
    return new CniConfig(
        confDir,
        binDirs,
        cacheDir,
        networkName,
        pluginTimeoutSeconds,
        defaultSubnet,
        defaultSubnetV6);
  }

  public static CniConfig defaults() {
    return new CniConfig(null, null, null, null, 0, null, null);
  }

  public Duration pluginTimeout() {
    return Duration.ofSeconds(pluginTimeoutSeconds);
  }

  /**
   * The cache directory: {@code cache_dir} if set, else {@code <state_root>/cni}. Kona keeps its own
   * cache rather than libcni's shared /var/lib/cni so that start-up GC, which DELs every cached
   * attachment not in the valid set, can never touch another runtime's pods on the same host.
   */
  public Path resolveCacheDir(Path stateRoot) {
    return cacheDir != null ? cacheDir : stateRoot.resolve("cni");
  }

  public CniConfig withCacheDir(Path dir) {
    return new CniConfig(
        confDir, binDirs, dir, networkName, pluginTimeoutSeconds, defaultSubnet, defaultSubnetV6);
  }
}
