package dev.kona.runtime.sandbox;

import java.nio.file.Path;

/** Where a sandbox's files live: pins and shm under the run root, files under the state root. */
public record SandboxPaths(Path runRoot, Path stateRoot) {

  public Path runDir(String sandboxId) {
    return runRoot.resolve("sandboxes").resolve(sandboxId);
  }

  public Path filesDir(String sandboxId) {
    return stateRoot.resolve("sandboxes").resolve(sandboxId);
  }

  public Path records() {
    return stateRoot.resolve("runtime").resolve("sandboxes");
  }

  /** Intents of pod and container operations in progress (see {@link dev.kona.runtime.state.Journal}). */
  public Path journal(String kind) {
    return stateRoot.resolve("runtime").resolve("journal").resolve(kind);
  }
}
