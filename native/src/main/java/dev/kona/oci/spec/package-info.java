/**
 * The OCI runtime-spec {@code config.json} as immutable Jackson records, field names exactly as in
 * the spec (opencontainers/runtime-spec {@code config.md}, {@code config-linux.md}). Wire shapes only:
 * they carry no policy. Lists and maps are never null (empty when absent) and are omitted from the
 * JSON when empty.
 */
package dev.kona.oci.spec;
