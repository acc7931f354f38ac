package dev.kona.runtime.sandbox;

/** What the sandbox side needs from the container side: its containers stopped, then removed. */
public interface SandboxContainers {

  /** Stops every container of the sandbox (each with its own grace); returns when all are gone. */
  void stopAll(String sandboxId);

  /** Removes every container of the sandbox, killing any still running. */
  void removeAll(String sandboxId);

  SandboxContainers NONE =
      new SandboxContainers() {
        @Override
        public void stopAll(String sandboxId) {}

        @Override
        public void removeAll(String sandboxId) {}
      };
}
