package dev.kona.cni.result;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** The JSON shape of a VERSION result. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VersionJson(String cniVersion, List<String> supportedVersions) {}
