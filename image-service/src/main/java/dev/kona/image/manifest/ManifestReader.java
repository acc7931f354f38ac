package dev.kona.image.manifest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kona.common.error.FailedPreconditionException;
import dev.kona.common.error.InvalidArgumentException;
import dev.kona.image.content.Descriptor;
import dev.kona.image.content.Digest;
import dev.kona.image.content.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Translates manifest, index and image-config JSON into the domain records (the one translator). */
public final class ManifestReader {

  static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private ManifestReader() {}

  /**
   * Parses a manifest or index. {@code contentType} is the registry's Content-Type (may be empty);
   * the document's own {@code mediaType} wins when present.
   */
  public static Manifest parse(String contentType, byte[] body) {
    ManifestJson json;
    try {
      json = JSON.readValue(body, ManifestJson.class);
    } catch (IOException e) {
      throw new InvalidArgumentException("parse manifest: not valid JSON: " + e.getMessage(), e);
    }
    if (json == null) {
      throw new InvalidArgumentException("parse manifest: the document is null, not a JSON object");
    }
    String type = json.mediaType() != null && !json.mediaType().isEmpty() ? json.mediaType() : baseType(contentType);
    if (Integer.valueOf(1).equals(json.schemaVersion())
        || type.equals(MediaTypes.DOCKER_SCHEMA1)
        || type.equals(MediaTypes.DOCKER_SCHEMA1_SIGNED)) {
      throw new FailedPreconditionException(
          "parse manifest: Docker schema 1 manifests are not supported (deprecated since 2017);"
              + " push the image again as Docker schema 2 or OCI");
    }
    if (type.isEmpty() || type.equals("application/json") || type.equals("application/octet-stream")) {
      // OCI allows an untyped document; its shape says which it is
      type = json.manifests() != null ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
    }
    if (MediaTypes.INDEXES.contains(type)) {
      List<Descriptor> entries = new ArrayList<>();
      List<DescriptorJson> manifests = json.manifests() == null ? List.of() : json.manifests();
      for (int i = 0; i < manifests.size(); i++) {
        entries.add(descriptor(manifests.get(i), "index entry " + i));
      }
      return new Manifest.Index(type, entries);
    }
    if (MediaTypes.MANIFESTS.contains(type)) {
      if (json.config() == null) {
        throw new InvalidArgumentException("parse manifest: image manifest has no config descriptor");
      }
      List<Descriptor> layers = new ArrayList<>();
      List<DescriptorJson> layerJson = json.layers() == null ? List.of() : json.layers();
      for (int i = 0; i < layerJson.size(); i++) {
        layers.add(descriptor(layerJson.get(i), "layer " + i));
      }
      return new Manifest.Image(
          type, descriptor(json.config(), "config"), layers, noNulls("parse manifest: annotations", json.annotations()));
    }
    throw new FailedPreconditionException(
        "parse manifest: media type \"" + type + "\" is not an image manifest or index Kona supports");
  }

  public static ImageRunConfig parseConfig(byte[] body) {
    ImageConfigJson json;
    try {
      json = JSON.readValue(body, ImageConfigJson.class);
    } catch (IOException e) {
      throw new InvalidArgumentException("parse image config: not valid JSON: " + e.getMessage(), e);
    }
    if (json == null) {
      throw new InvalidArgumentException("parse image config: the document is null, not a JSON object");
    }
    List<Digest> diffIds = new ArrayList<>();
    if (json.rootfs() != null && json.rootfs().diffIds() != null) {
      for (String id : noNulls("parse image config: rootfs.diff_ids", json.rootfs().diffIds())) {
        diffIds.add(Digest.parse(id));
      }
    }
    ImageConfigJson.ContainerConfig c = json.config();
    if (c == null) {
      return new ImageRunConfig(
          json.os(), json.architecture(), "", null, null, null, "", null, "", null, null, diffIds);
    }
    return new ImageRunConfig(
        json.os(),
        json.architecture(),
        c.user(),
        noNulls("parse image config: config.Env", c.env()),
        noNulls("parse image config: config.Entrypoint", c.entrypoint()),
        noNulls("parse image config: config.Cmd", c.cmd()),
        c.workingDir(),
        noNulls("parse image config: config.Labels", c.labels()),
        c.stopSignal(),
        c.exposedPorts() == null ? null : List.copyOf(c.exposedPorts().keySet()),
        c.volumes() == null ? null : List.copyOf(c.volumes().keySet()),
        diffIds);
  }

  private static Descriptor descriptor(DescriptorJson json, String what) {
    if (json == null) {
      throw new InvalidArgumentException("parse manifest: " + what + " is null, not a descriptor");
    }
    if (json.digest() == null || json.size() == null) {
      throw new InvalidArgumentException("parse manifest: " + what + " lacks digest or size");
    }
    Optional<Platform> platform = Optional.empty();
    if (json.platform() != null && json.platform().os() != null && json.platform().architecture() != null) {
      platform =
          Optional.of(new Platform(json.platform().os(), json.platform().architecture(), json.platform().variant()));
    }
    return new Descriptor(
        json.mediaType(),
        Digest.parse(json.digest()),
        json.size(),
        platform,
        noNulls("parse manifest: " + what + " annotations", json.annotations()),
        noNulls("parse manifest: " + what + " urls", json.urls()));
  }

  /** JSON null inside a list of strings (or as a map's value) is refused here, naming the field. */
  private static List<String> noNulls(String field, List<String> values) {
    if (values != null && values.contains(null)) {
      throw new InvalidArgumentException(field + ": item " + values.indexOf(null) + " is null, not a string");
    }
    return values;
  }

  private static Map<String, String> noNulls(String field, Map<String, String> values) {
    if (values != null) {
      for (Map.Entry<String, String> e : values.entrySet()) {
        if (e.getValue() == null) {
          throw new InvalidArgumentException(field + ": the value of \"" + e.getKey() + "\" is null, not a string");
        }
      }
    }
    return values;
  }

  private static String baseType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
  }
}
