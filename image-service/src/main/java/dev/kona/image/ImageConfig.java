package dev.kona.image;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code [images]} section of kona.toml. Every key is optional: absent keys take the defaults
 * below (the section is bound through {@link #fromToml}, so a file that sets only some keys, or a
 * registry table with only {@code mirrors}, is fine; unknown keys are refused by name).
 *
 * @param maxConcurrentDownloads {@code max_concurrent_downloads}: layers fetched at once per pull (3)
 * @param progressTimeoutSeconds {@code progress_timeout_seconds}: a pull that receives no bytes for
 *     this long is cancelled (60, like the kubelet's image-pull-progress-deadline)
 * @param platform {@code platform}: {@code os/arch[/variant]} to pick from indexes; empty means this
 *     host
 * @param pinnedImages {@code pinned_images}: references reported as pinned (exempt from the
 *     kubelet's image GC), e.g. the sandbox image
 * @param registries {@code [images.registries."<host>"]}: mirrors, insecure flag and credentials per
 *     registry host
 * @param configPath {@code config_path}: containerd's hosts directory ({@code <dir>/<registry>/hosts.toml}),
 *     read at every pull; empty means none
 */
public record ImageConfig(
    int maxConcurrentDownloads,
    int progressTimeoutSeconds,
    String platform,
    List<String> pinnedImages,
    Map<String, RegistryConfig> registries,
    String configPath) {

  public static final String DEFAULT_CONFIG_PATH = "/etc/kona/certs.d";

  private static final Set<String> KEYS =
      Set.of("max_concurrent_downloads", "progress_timeout_seconds", "platform", "pinned_images", "registries",
          "config_path");

  public ImageConfig(int maxConcurrentDownloads, int progressTimeoutSeconds, String platform, List<String> pinnedImages,
      Map<String, RegistryConfig> registries) {
    this(maxConcurrentDownloads, progressTimeoutSeconds, platform, pinnedImages, registries, DEFAULT_CONFIG_PATH);
  }

  public ImageConfig {
    configPath = configPath == null ? "" : configPath;
    if (!configPath.isEmpty() && !configPath.startsWith("/")) {
      throw new IllegalArgumentException("config_path: must be an absolute path or empty, got \"" + configPath + "\"");
    }
    platform = platform == null ? "" : platform;
    pinnedImages = pinnedImages == null ? List.of() : List.copyOf(pinnedImages);
    registries = registries == null ? Map.of() : Map.copyOf(registries);
    if (maxConcurrentDownloads < 1) {
      throw new IllegalArgumentException("max_concurrent_downloads: must be at least 1, got " + maxConcurrentDownloads);
    }
    if (progressTimeoutSeconds < 1) {
      throw new IllegalArgumentException("progress_timeout_seconds: must be at least 1, got " + progressTimeoutSeconds);
    }
  }

  public static ImageConfig defaults() {
    return new ImageConfig(3, 60, "", List.of(), Map.of());
  }

  /** Binds the TOML table; keys are snake_case, all optional. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static ImageConfig fromToml(Map<String, Object> raw) {
    TomlTable table = new TomlTable(raw, "", KEYS);
    Map<String, RegistryConfig> registries = new LinkedHashMap<>();
    for (Map.Entry<String, Object> host : table.tables("registries").entrySet()) {
      registries.put(host.getKey(), RegistryConfig.fromToml(TomlTable.asTable(host.getValue(), "registries." + host.getKey())));
    }
    ImageConfig d = defaults();
    return new ImageConfig(
        table.integer("max_concurrent_downloads", d.maxConcurrentDownloads()),
        table.integer("progress_timeout_seconds", d.progressTimeoutSeconds()),
        table.string("platform", d.platform()),
        table.strings("pinned_images"),
        registries,
        table.string("config_path", d.configPath()));
  }

  public ImageConfig withRegistries(Map<String, RegistryConfig> hosts) {
    return new ImageConfig(maxConcurrentDownloads, progressTimeoutSeconds, platform, pinnedImages, hosts, configPath);
  }

  public ImageConfig withConfigPath(String dir) {
    return new ImageConfig(maxConcurrentDownloads, progressTimeoutSeconds, platform, pinnedImages, registries, dir);
  }

  /** The hosts directory, or null when {@code config_path} is empty. */
  public java.nio.file.Path hostsDirectory() {
    return configPath.isEmpty() ? null : java.nio.file.Path.of(configPath);
  }

  public ImageConfig withProgressTimeoutSeconds(int seconds) {
    return new ImageConfig(maxConcurrentDownloads, seconds, platform, pinnedImages, registries, configPath);
  }

  public ImageConfig withMaxConcurrentDownloads(int downloads) {
    return new ImageConfig(downloads, progressTimeoutSeconds, platform, pinnedImages, registries, configPath);
  }

  public ImageConfig withPlatform(String osArch) {
    return new ImageConfig(maxConcurrentDownloads, progressTimeoutSeconds, osArch, pinnedImages, registries, configPath);
  }

  public ImageConfig withPinnedImages(List<String> images) {
    return new ImageConfig(maxConcurrentDownloads, progressTimeoutSeconds, platform, images, registries, configPath);
  }

  /**
   * One registry host's settings ({@code [images.registries."registry.k8s.io"]}).
   *
   * @param mirrors {@code mirrors}: endpoints tried in order before the registry, e.g.
   *     {@code "http://127.0.0.1:5000"} (http means plain HTTP; a bare host means https); images
   *     keep their original names
   * @param fallbackToRegistry {@code fallback_to_registry}: after the mirrors, try the registry
   *     itself (true); false means mirrors only, never the real host
   * @param insecure {@code insecure}: reach the registry itself over plain HTTP (false)
   * @param username {@code username}, {@code password}: basic credentials for this host
   * @param identityToken {@code identity_token}: an OAuth2 refresh token for this host
   * @param registryToken {@code registry_token}: a bearer token sent as is
   * @param caFile {@code ca_file}: PEM file of CA certificates to trust for this host, in addition
   *     to the JDK's and the system's ({@code /etc/ssl/certs/ca-certificates.crt}) roots
   */
  public record RegistryConfig(
      List<String> mirrors,
      boolean fallbackToRegistry,
      boolean insecure,
      String username,
      String password,
      String identityToken,
      String registryToken,
      String caFile) {

    static final Set<String> KEYS =
        Set.of(
            "mirrors", "fallback_to_registry", "insecure", "username", "password", "identity_token", "registry_token",
            "ca_file");

    public RegistryConfig(
        List<String> mirrors,
        boolean fallbackToRegistry,
        boolean insecure,
        String username,
        String password,
        String identityToken,
        String registryToken) {
      this(mirrors, fallbackToRegistry, insecure, username, password, identityToken, registryToken, null);
    }

    public RegistryConfig {
      mirrors = mirrors == null ? List.of() : List.copyOf(mirrors);
      for (String mirror : mirrors) {
        if (mirror.contains("://") && !mirror.startsWith("http://") && !mirror.startsWith("https://")) {
          throw new IllegalArgumentException("mirrors: \"" + mirror + "\" must be http://host[:port] or https://host[:port]");
        }
      }
    }

    public static RegistryConfig mirrorOnly(String... mirrors) {
      return new RegistryConfig(List.of(mirrors), false, false, null, null, null, null);
    }

    public static RegistryConfig insecureWith(String user, String password) {
      return new RegistryConfig(List.of(), true, true, user, password, null, null);
    }

    public static RegistryConfig trusting(String caFile) {
      return new RegistryConfig(List.of(), true, false, null, null, null, null, caFile);
    }

    static RegistryConfig fromToml(TomlTable table) {
      return new RegistryConfig(
          table.strings("mirrors"),
          table.bool("fallback_to_registry", true),
          table.bool("insecure", false),
          table.string("username", null),
          table.string("password", null),
          table.string("identity_token", null),
          table.string("registry_token", null),
          table.string("ca_file", null));
    }

    @Override
    public String toString() {
      return "RegistryConfig[mirrors=" + mirrors + ", fallbackToRegistry=" + fallbackToRegistry + ", insecure=" + insecure
          + ", username=" + username + ", caFile=" + caFile + "]";
    }
  }
}
