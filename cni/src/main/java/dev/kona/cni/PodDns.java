package dev.kona.cni;

import java.util.List;

/**
 * The pod's DNS settings, passed as the {@code dns} capability.
 *
 * @param servers nameserver addresses
 * @param searches search domains
 * @param options resolver options
 */
public record PodDns(List<String> servers, List<String> searches, List<String> options) {

  public PodDns {
    servers = servers == null ? List.of() : List.copyOf(servers);
    searches = searches == null ? List.of() : List.copyOf(searches);
    options = options == null ? List.of() : List.copyOf(options);
  }
}
