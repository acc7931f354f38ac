package dev.kona.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code linux.devices[]}: a device node to create in the container. {@code type} is c, b, u or p;
 * {@code fileMode} is the decimal permission bits (438 = 0666).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LinuxDevice(
    String path, String type, long major, long minor, Integer fileMode, Long uid, Long gid) {}
