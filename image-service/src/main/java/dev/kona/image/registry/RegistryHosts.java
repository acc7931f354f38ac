package dev.kona.image.registry;

import dev.kona.common.error.FailedPreconditionException;
import dev.kona.image.ImageConfig.RegistryConfig;
import dev.kona.image.ref.ImageReference;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where to pull a registry's content from, in order. When the hosts directory has a
 * {@code <registry>/hosts.toml} (read at every pull), it decides the endpoints: its
 * {@code [host."…"]} entries in file order, then its {@code server} (the registry itself over https
 * when it names none). Otherwise the {@code images.registries} table does: its mirrors, then the
 * registry itself unless {@code fallback_to_registry = false}. When both name the same registry,
 * hosts.toml wins for the endpoints and the table's {@code mirrors}, {@code fallback_to_registry} and
 * {@code insecure} are ignored (a warning says so, once per file); the table's credentials and
 * {@code ca_file} still apply to the registry itself.
 *
 * <p>Credentials: those the kubelet sent apply to the registry itself and win there; a hosts.toml
 * entry's own keys apply to that entry; else the table of the endpoint's host
 * ({@code images.registries."<mirror host>"}).
 */
public final class RegistryHosts {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryHosts.class);

  private volatile Map<String, RegistryConfig> registries;
  private volatile HostsDirectory hostsDirectory;
  private final Set<String> conflictsReported = ConcurrentHashMap.newKeySet();

  public RegistryHosts(Map<String, RegistryConfig> registries) {
    this(registries, new HostsDirectory(null));
  }

  public RegistryHosts(Map<String, RegistryConfig> registries, HostsDirectory hostsDirectory) {
    this.registries = Map.copyOf(registries);
    this.hostsDirectory = hostsDirectory;
  }

  public List<RegistryEndpoint> endpoints(String registry, Credentials fromRequest) {
    return endpoints(registry, fromRequest, false);
  }

  /** New tables and hosts directory (SIGHUP); pulls under way keep the endpoints they resolved. */
  public void replace(Map<String, RegistryConfig> registries, HostsDirectory hostsDirectory) {
    this.registries = Map.copyOf(registries);
    this.hostsDirectory = hostsDirectory;
    conflictsReported.clear();
  }

  /**
   * The endpoints for a pull from {@code registry}; {@code byDigest} when the reference has a
   * digest (a hosts.toml host with {@code pull} but without {@code resolve} serves only those).
   */
  public List<RegistryEndpoint> endpoints(String registry, Credentials fromRequest, boolean byDigest) {
    Optional<HostsFile> file = hostsDirectory.read(registry);
    if (file.isPresent()) {
      return fromHostsFile(registry, file.get(), fromRequest, byDigest);
    }
    RegistryConfig config = registries.get(registry);
    List<RegistryEndpoint> endpoints = new ArrayList<>();
    if (config != null) {
      for (String mirror : config.mirrors()) {
        URI base = URI.create(mirror.contains("://") ? mirror : "https://" + mirror);
        endpoints.add(new RegistryEndpoint(registry, base, true, credentialsFor(base.getAuthority(), Credentials.NONE)));
      }
    }
    if (config == null || config.fallbackToRegistry()) {
      boolean insecure = config != null && config.insecure();
      String host = registry.equals(ImageReference.DOCKER_HUB) ? "registry-1.docker.io" : registry;
      URI base = URI.create((insecure ? "http://" : "https://") + host);
      endpoints.add(new RegistryEndpoint(registry, base, false, credentialsFor(registry, fromRequest)));
    }
    if (endpoints.isEmpty()) {
      throw new FailedPreconditionException(
          "resolve registry " + registry + ": fallback_to_registry is false and no mirrors are configured");
    }
    return endpoints;
  }

  private List<RegistryEndpoint> fromHostsFile(String registry, HostsFile file, Credentials fromRequest, boolean byDigest) {
    RegistryConfig table = registries.get(registry);
    if (table != null && (!table.mirrors().isEmpty() || !table.fallbackToRegistry() || table.insecure())
        && conflictsReported.add(file.source().toString())) {
      LOG.warn("registry {}: both {} and images.registries.\"{}\" configure its endpoints; {} is used, the table's "
          + "mirrors, fallback_to_registry and insecure are ignored", registry, file.source(), registry, file.source());
    }
    List<RegistryEndpoint> endpoints = new ArrayList<>();
    for (HostsFile.Host h : file.hosts()) {
      if (h.can("pull") && (byDigest || h.can("resolve"))) {
        Credentials own = h.credentials().isEmpty() ? credentialsFor(h.base().getAuthority(), Credentials.NONE) : h.credentials();
        endpoints.add(endpoint(registry, h, true, own));
      }
    }
    HostsFile.Host server = file.server();
    if (server == null) {
      String host = registry.equals(ImageReference.DOCKER_HUB) ? "registry-1.docker.io" : registry;
      endpoints.add(new RegistryEndpoint(registry, URI.create("https://" + host), false, credentialsFor(registry, fromRequest)));
    } else if (server.can("pull") && (byDigest || server.can("resolve"))) {
      Credentials creds = fromRequest != null && !fromRequest.isEmpty() ? fromRequest
          : server.credentials().isEmpty() ? credentialsFor(registry, Credentials.NONE) : server.credentials();
      endpoints.add(endpoint(registry, server, false, creds));
    }
    if (endpoints.isEmpty()) {
      throw new FailedPreconditionException("resolve registry " + registry + ": " + file.source() + " has no host with the "
          + (byDigest ? "pull" : "pull and resolve") + " capabilities");
    }
    return endpoints;
  }

  private static RegistryEndpoint endpoint(String registry, HostsFile.Host h, boolean mirror, Credentials credentials) {
    return new RegistryEndpoint(registry, h.base(), mirror, credentials, h.headers(),
        new RegistryEndpoint.Tls(h.caFiles(), h.skipVerify()), h.overridePath());
  }

  private Credentials credentialsFor(String host, Credentials fromRequest) {
    if (fromRequest != null && !fromRequest.isEmpty()) {
      return fromRequest;
    }
    RegistryConfig config = registries.get(host);
    if (config == null) {
      return Credentials.NONE;
    }
    return new Credentials(config.username(), config.password(), config.identityToken(), config.registryToken());
  }
}
