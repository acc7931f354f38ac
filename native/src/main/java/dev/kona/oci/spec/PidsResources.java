package dev.kona.oci.spec;

/** {@code linux.resources.pids}: the task limit; 0 or -1 mean unlimited. */
public record PidsResources(long limit) {}
