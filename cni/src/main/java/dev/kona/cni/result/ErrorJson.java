package dev.kona.cni.result;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The JSON shape of a plugin's error result. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ErrorJson(String cniVersion, Integer code, String msg, String details) {}
