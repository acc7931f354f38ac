/**
 * runc and crun as alternative container engines: {@link dev.kona.oci.runc.OciRuntimeEngine}
 * implements {@code dev.kona.engine.ContainerEngine} over the OCI runtime command line with
 * conmon as each container's monitor (CRI-O's arrangement), selected by the CRI runtime_handler.
 */
package dev.kona.oci.runc;
