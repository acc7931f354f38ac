package dev.kona.cni.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kona.common.error.InvalidArgumentException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a network configuration: a conflist ({@code plugins} array), or a pre-1.0 single-plugin
 * config, which is wrapped into a one-plugin list as libcni does. Every problem is an {@link
 * InvalidArgumentException} naming the source and the field.
 */
public final class ConfListParser {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ConfListParser() {}

  public static NetworkConfigList parse(Path source, String json) {
    String origin = source != null ? source.toString() : "network config";
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidArgumentException(
          "parse " + origin + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (!(root instanceof ObjectNode object)) {
      throw new InvalidArgumentException("parse " + origin + ": expected a JSON object");
    }
    try {
      return object.has("plugins") ? parseList(object, source, json) : parseSingle(object, source);
    } catch (InvalidArgumentException e) {
      throw e.withContext("parse " + origin);
    }
  }

  private static NetworkConfigList parseList(ObjectNode root, Path source, String json) {
    String name = requireName(root);
    CniVersion version = selectVersion(root);
    JsonNode plugins = root.get("plugins");
    if (!plugins.isArray() || plugins.isEmpty()) {
      throw new InvalidArgumentException("plugins: expected a non-empty array");
    }
    List<PluginConfig> parsed = new ArrayList<>();
    for (int i = 0; i < plugins.size(); i++) {
      parsed.add(parsePlugin(plugins.get(i), "plugins[" + i + "]"));
    }
    return new NetworkConfigList(
        name,
        version,
        readBool(root, "disableCheck"),
        readBool(root, "disableGC"),
        parsed,
        source,
        json);
  }

  private static NetworkConfigList parseSingle(ObjectNode root, Path source) {
    String name = requireName(root);
    CniVersion version = selectVersion(root);
    PluginConfig plugin = parsePlugin(root, "config");
    ObjectNode list = JSON.createObjectNode();
    list.put("cniVersion", version.toString());
    list.put("name", name);
    list.putArray("plugins").add(root.deepCopy());
    return new NetworkConfigList(
        name, version, false, false, List.of(plugin), source, list.toString());
  }

  private static String requireName(ObjectNode root) {
    JsonNode name = root.get("name");
    if (name == null || !name.isTextual()) {
      throw new InvalidArgumentException("name: required string is missing");
    }
    if (!NetworkName.isValid(name.asText())) {
      throw new InvalidArgumentException(
          "name: must match [A-Za-z0-9][A-Za-z0-9_.-]*, got \"" + name.asText() + "\"");
    }
    return name.asText();
  }

  /** The highest of cniVersion and cniVersions that this runtime implements. */
  private static CniVersion selectVersion(ObjectNode root) {
    List<CniVersion> candidates = new ArrayList<>();
    JsonNode single = root.get("cniVersion");
    if (single != null) {
      if (!single.isTextual()) {
        throw new InvalidArgumentException("cniVersion: expected a string");
      }
      candidates.add(CniVersion.parse(single.asText()));
    }
    JsonNode many = root.get("cniVersions");
    if (many != null) {
      if (!many.isArray()) {
        throw new InvalidArgumentException("cniVersions: expected an array of strings");
      }
      for (JsonNode v : many) {
        candidates.add(CniVersion.parse(v.asText()));
      }
    }
    CniVersion chosen =
        candidates.stream()
            .filter(v -> !v.atLeast(new CniVersion(1, 1, 1)))
            .max(CniVersion::compareTo)
            .orElseThrow(
                () ->
                    new InvalidArgumentException(
                        "cniVersion: missing or newer than " + CniVersion.LATEST + ", got " + candidates));
    if (!chosen.atLeast(CniVersion.OLDEST_SUPPORTED)) {
      throw new InvalidArgumentException(
          "cniVersion: " + chosen + " is not supported, need at least " + CniVersion.OLDEST_SUPPORTED);
    }
    return chosen;
  }

  private static PluginConfig parsePlugin(JsonNode node, String where) {
    if (!(node instanceof ObjectNode plugin)) {
      throw new InvalidArgumentException(where + ": expected an object");
    }
    JsonNode type = plugin.get("type");
    if (type == null || !type.isTextual() || type.asText().isEmpty()) {
      throw new InvalidArgumentException(where + ".type: required string is missing");
    }
    if (type.asText().contains("/") || type.asText().startsWith(".")) {
      throw new InvalidArgumentException(
          where + ".type: must be a file name, got \"" + type.asText() + "\"");
    }
    Set<String> capabilities = new LinkedHashSet<>();
    JsonNode caps = plugin.get("capabilities");
    if (caps != null) {
      if (!caps.isObject()) {
        throw new InvalidArgumentException(where + ".capabilities: expected an object");
      }
      for (Map.Entry<String, JsonNode> cap : caps.properties()) {
        if (cap.getValue().asBoolean(false)) {
          capabilities.add(cap.getKey());
        }
      }
    }
    return new PluginConfig(type.asText(), capabilities, plugin);
  }

  private static boolean readBool(ObjectNode root, String key) {
    JsonNode value = root.get(key);
    if (value == null) {
      return false;
    }
    if (value.isBoolean()) {
      return value.asBoolean();
    }
    if (value.isTextual() && value.asText().equalsIgnoreCase("true")) {
      return true;
    }
    if (value.isTextual() && value.asText().equalsIgnoreCase("false")) {
      return false;
    }
    throw new InvalidArgumentException(key + ": expected true or false, got " + value);
  }
}
