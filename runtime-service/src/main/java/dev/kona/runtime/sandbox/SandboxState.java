package dev.kona.runtime.sandbox;

/** READY while the pod's namespaces and network are set up; NOTREADY after stop (or a failed restore). */
public enum SandboxState {
  READY,
  NOTREADY
}
