package dev.kona.engine;

/** Where a container is in its life, as its monitor reports it. */
public enum ContainerStatus {
  /** Set up and waiting for {@link ContainerEngine#start}. */
  CREATED,
  RUNNING,
  /** Exited; the exit status is known. */
  STOPPED,
  /** The monitor is gone without recording an exit (killed, or the host crashed). */
  UNKNOWN
}
