package dev.kona.cni.result;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kona.cni.config.CniVersion;
import dev.kona.common.error.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;

/** The one translation between the result JSON shapes and the domain records. */
public final class ResultTranslator {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ResultTranslator() {}

  /**
   * Reads a raw ADD result; {@code configVersion} stands in for a missing cniVersion (results before
   * 1.0.0 may omit it). Throws {@link InvalidArgumentException} naming the bad field.
   */
  public static CniResult toDomain(JsonNode raw, CniVersion configVersion) {
    ResultJson json;
    try {
      json = JSON.treeToValue(raw, ResultJson.class);
    } catch (JsonProcessingException e) {
      throw new InvalidArgumentException("decode result: " + e.getOriginalMessage(), e);
    }
    CniVersion version = json.cniVersion() == null ? configVersion : CniVersion.parse(json.cniVersion());
    if (!version.atLeast(CniVersion.OLDEST_SUPPORTED)) {
      throw new InvalidArgumentException(
          "decode result: cniVersion " + version + " is older than " + CniVersion.OLDEST_SUPPORTED);
    }
    List<CniInterface> interfaces = new ArrayList<>();
    for (ResultJson.InterfaceJson i : nonNull(json.interfaces())) {
      interfaces.add(new CniInterface(i.name(), i.mac(), i.sandbox()));
    }
    List<IpConfig> ips = new ArrayList<>();
    for (ResultJson.IpJson ip : nonNull(json.ips())) {
      if (ip.interfaceIndex() != null
          && (ip.interfaceIndex() < 0 || ip.interfaceIndex() >= interfaces.size())) {
        throw new InvalidArgumentException(
            "decode result: ips[].interface " + ip.interfaceIndex() + " is not an index into "
                + interfaces.size() + " interfaces");
      }
      ips.add(IpConfig.parse(ip.address(), ip.gateway(), ip.interfaceIndex()));
    }
    List<String> nameservers =
        json.dns() == null ? List.of() : nonNull(json.dns().nameservers());
    return new CniResult(version, interfaces, ips, nameservers);
  }

  /** Reads a VERSION result into the versions the plugin supports. */
  public static java.util.Set<CniVersion> toVersions(JsonNode raw) {
    VersionJson json;
    try {
      json = JSON.treeToValue(raw, VersionJson.class);
    } catch (JsonProcessingException e) {
      throw new InvalidArgumentException("decode version result: " + e.getOriginalMessage(), e);
    }
    if (json.supportedVersions() == null) {
      throw new InvalidArgumentException("decode version result: supportedVersions is missing");
    }
    java.util.Set<CniVersion> versions = new java.util.TreeSet<>();
    for (String v : json.supportedVersions()) {
      versions.add(CniVersion.parse(v));
    }
    return versions;
  }

  public static CniError toError(JsonNode raw) {
    try {
      return CniError.from(JSON.treeToValue(raw, ErrorJson.class));
    } catch (JsonProcessingException e) {
      throw new InvalidArgumentException("decode error result: " + e.getOriginalMessage(), e);
    }
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }
}
