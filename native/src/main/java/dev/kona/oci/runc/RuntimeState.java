package dev.kona.oci.runc;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The JSON {@code runtime state <id>} prints (the OCI state, runtime-spec runtime.md). */
@JsonIgnoreProperties(ignoreUnknown = true)
record RuntimeState(String ociVersion, String id, String status, int pid, String bundle) {}
