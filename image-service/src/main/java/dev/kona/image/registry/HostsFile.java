package dev.kona.image.registry;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One registry's {@code hosts.toml} in containerd's format (containerd's
 * {@code docs/hosts.md}): the endpoints to try in order, the {@code [host."…"]} tables first, the
 * {@code server} last.
 *
 * @param source the file, for messages
 * @param hosts the {@code [host."…"]} entries in file order
 * @param server the top-level {@code server} and its settings; null when the file has none (then
 *     the registry itself, over https, is the last endpoint)
 */
public record HostsFile(Path source, List<Host> hosts, Host server) {

  public HostsFile {
    hosts = List.copyOf(hosts);
  }

  /**
   * One endpoint.
   *
   * @param base scheme://host[:port][/path]; a table name without a scheme means https
   * @param capabilities of {@code pull}, {@code resolve}, {@code push}; Kona pulls blobs and
   *     manifests by digest from a host with {@code pull}, and resolves tags only on one with
   *     {@code resolve}
   * @param skipVerify {@code skip_verify}: accept any server certificate
   * @param caFiles {@code ca}: PEM files of CAs to trust for this endpoint
   * @param headers {@code [host."…".header]}: extra request headers, sent to this endpoint only
   * @param overridePath {@code override_path}: the URL's path already includes the API root (no
   *     {@code /v2} is appended)
   * @param credentials Kona's own keys {@code username}, {@code password}, {@code identity_token},
   *     {@code registry_token}: credentials of this endpoint (containerd has none per mirror)
   */
  public record Host(URI base, List<String> capabilities, boolean skipVerify, List<Path> caFiles,
      Map<String, List<String>> headers, boolean overridePath, Credentials credentials) {

    public Host {
      capabilities = List.copyOf(capabilities);
      caFiles = List.copyOf(caFiles);
      headers = Map.copyOf(headers);
      credentials = credentials == null ? Credentials.NONE : credentials;
    }

    boolean can(String capability) {
      return capabilities.contains(capability);
    }
  }
}
