package dev.kona.oci.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A uid or gid range mapping for a user namespace or an id-mapped mount. */
public record IdMapping(
    @JsonProperty("containerID") long containerId,
    @JsonProperty("hostID") long hostId,
    long size) {}
