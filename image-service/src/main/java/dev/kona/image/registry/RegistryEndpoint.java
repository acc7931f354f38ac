package dev.kona.image.registry;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One place to pull a registry's content from: the registry itself or one of its mirrors.
 * {@code base} is scheme://host[:port] plus an optional path prefix, without the {@code /v2}
 * (with {@code overridePath}, a hosts.toml endpoint whose path is the API root itself).
 * {@code headers} go with every request to this endpoint's own host; {@code tls} is this
 * endpoint's own trust (hosts.toml {@code ca}, {@code skip_verify}) when it has any.
 */
public record RegistryEndpoint(String registry, URI base, boolean mirror, Credentials credentials,
    Map<String, List<String>> headers, Tls tls, boolean overridePath) {

  /** Trust of its own for one endpoint; {@link #DEFAULT} means the daemon's shared client. */
  public record Tls(List<Path> caFiles, boolean skipVerify) {
    public static final Tls DEFAULT = new Tls(List.of(), false);

    public Tls {
      caFiles = List.copyOf(caFiles);
    }

    public boolean isDefault() {
      return caFiles.isEmpty() && !skipVerify;
    }
  }

  public RegistryEndpoint(String registry, URI base, boolean mirror, Credentials credentials) {
    this(registry, base, mirror, credentials, Map.of(), Tls.DEFAULT, false);
  }

  public RegistryEndpoint {
    credentials = credentials == null ? Credentials.NONE : credentials;
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    tls = tls == null ? Tls.DEFAULT : tls;
    String text = base.toString();
    if (text.endsWith("/")) {
      base = URI.create(text.substring(0, text.length() - 1));
    }
  }

  /** {@code <base>/v2/<repository>/<kind>/<reference>} ({@code <base>/<repository>/…} with override_path). */
  public URI uri(String repository, String kind, String reference) {
    return URI.create(base + (overridePath ? "/" : "/v2/") + repository + "/" + kind + "/" + reference);
  }

  public String host() {
    return base.getAuthority();
  }

  @Override
  public String toString() {
    return mirror ? base + " (mirror of " + registry + ")" : base.toString();
  }
}
