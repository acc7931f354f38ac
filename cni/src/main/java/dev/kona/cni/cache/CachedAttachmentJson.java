package dev.kona.cni.cache;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The JSON shape of a cache entry, with libcni's field names so that cnitool and people who know
 * libcni can read it: {@code config} is the conflist's bytes (base64, as Go encodes []byte), {@code
 * cniArgs} a list of [key, value] pairs.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
record CachedAttachmentJson(
    String kind,
    String containerId,
    byte[] config,
    String ifName,
    String networkName,
    String netns,
    List<List<String>> cniArgs,
    JsonNode capabilityArgs,
    JsonNode result) {

  static final String KIND = "cniCacheV1";
}
