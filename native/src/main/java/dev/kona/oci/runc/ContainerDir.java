package dev.kona.oci.runc;

import dev.kona.engine.ContainerId;
import java.nio.file.Path;

/**
 * Kona's per-container directory for the OCI runtime engine, {@code <stateRoot>/<id>}: the
 * container and conmon pid files, the exit and oom files conmon writes there (its persist dir),
 * the sync FIFO of create, attach sockets, and Kona's own created/started/bundle/log-path records.
 */
record ContainerDir(Path dir) {

  static ContainerDir of(Path stateRoot, ContainerId id) {
    return new ContainerDir(stateRoot.resolve(id.value()));
  }

  Path pidFile() {
    return dir.resolve("pid");
  }

  Path conmonPidFile() {
    return dir.resolve("conmon.pid");
  }

  /** Written by conmon when the container exits: the code, 128+signal for a signal. */
  Path exitFile() {
    return dir.resolve("exit");
  }

  /** Created by conmon when the kernel's OOM killer hit the container. */
  Path oomFile() {
    return dir.resolve("oom");
  }

  Path syncFifo() {
    return dir.resolve("sync");
  }

  Path socketDir() {
    return dir.resolve("sock");
  }

  Path createdFile() {
    return dir.resolve("created");
  }

  Path startedFile() {
    return dir.resolve("started");
  }

  Path bundleFile() {
    return dir.resolve("bundle");
  }

  /** The CRI log file conmon writes, for ReopenContainerLog; absent without a log. */
  Path logPathFile() {
    return dir.resolve("log-path");
  }
}
