package dev.kona.engine.plan;

import dev.kona.oci.spec.Seccomp;

/** Turns an OCI seccomp profile into a BPF program for the helper to load (policy stays in Java). */
@FunctionalInterface
public interface SeccompCompiler {

  /** A compiled filter: {@code bpf} is the sock_filter array, {@code flags} SECCOMP_FILTER_FLAG_* bits. */
  record Filter(byte[] bpf, int flags) {}

  /** Throws InvalidArgumentException naming the bad syscall, action or argument. */
  Filter compile(Seccomp profile);
}
