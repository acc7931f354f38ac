package dev.kona.oci.spec;

/** {@code root}: the rootfs path (absolute, or relative to the bundle) and whether it is read-only. */
public record Root(String path, boolean readonly) {}
