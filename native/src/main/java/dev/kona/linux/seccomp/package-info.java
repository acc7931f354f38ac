/**
 * Seccomp: OCI profiles compiled to BPF with libseccomp through FFM
 * ({@link dev.kona.linux.seccomp.SeccompProfileCompiler}), and the CRI RuntimeDefault profile
 * ({@link dev.kona.linux.seccomp.RuntimeDefaultProfile}). The helper loads the bytes.
 */
package dev.kona.linux.seccomp;
