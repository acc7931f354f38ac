package dev.kona.cni.result;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The JSON shape of an ADD result (spec 0.3.0 through 1.1.0; 0.3.x/0.4.0 add {@code ips[].version},
 * ignored here). Unknown keys are ignored: the raw result, not this shape, is what is cached and
 * passed on as prevResult.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResultJson(
    String cniVersion,
    List<InterfaceJson> interfaces,
    List<IpJson> ips,
    List<RouteJson> routes,
    DnsJson dns) {

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record InterfaceJson(
      String name, String mac, Integer mtu, String sandbox, String socketPath, String pciID) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record IpJson(
      String address,
      String gateway,
      @com.fasterxml.jackson.annotation.JsonProperty("interface") Integer interfaceIndex) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RouteJson(String dst, String gw) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DnsJson(
      List<String> nameservers, String domain, List<String> search, List<String> options) {}
}
