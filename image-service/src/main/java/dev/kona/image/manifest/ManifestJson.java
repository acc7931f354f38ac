package dev.kona.image.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The JSON of an image manifest or an index (they share {@code schemaVersion} and {@code mediaType};
 * a manifest has {@code config} and {@code layers}, an index {@code manifests}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ManifestJson(
    Integer schemaVersion,
    String mediaType,
    DescriptorJson config,
    List<DescriptorJson> layers,
    List<DescriptorJson> manifests,
    Map<String, String> annotations) {}
