package dev.kona.oci.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code linux.resources.hugepageLimits[]}: {@code pageSize} like {@code "2MB"}, limit in bytes. */
public record HugepageLimit(@JsonProperty("pageSize") String pageSize, long limit) {}
