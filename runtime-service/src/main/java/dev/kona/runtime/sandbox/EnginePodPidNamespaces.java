package dev.kona.runtime.sandbox;

import dev.kona.engine.PodInits;
import dev.kona.engine.plan.NamespaceEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@link PodPidNamespaces} on the native engine's pod inits. */
public final class EnginePodPidNamespaces implements PodPidNamespaces {

  private final PodInits inits;

  public EnginePodPidNamespaces(PodInits inits) {
    this.inits = inits;
  }

  @Override
  public void start(SandboxRecord sandbox) {
    List<NamespaceEntry> joins = new ArrayList<>();
    if (!sandbox.userns().isEmpty()) {
      joins.add(NamespaceEntry.join("user", Path.of(sandbox.userns())));
    }
    if (!sandbox.netns().isEmpty()) {
      joins.add(NamespaceEntry.join("net", Path.of(sandbox.netns())));
    }
    if (!sandbox.ipcns().isEmpty()) {
      joins.add(NamespaceEntry.join("ipc", Path.of(sandbox.ipcns())));
    }
    if (!sandbox.utsns().isEmpty()) {
      joins.add(NamespaceEntry.join("uts", Path.of(sandbox.utsns())));
    }
    inits.start(sandbox.id(), joins);
  }

  @Override
  public String pidNamespace(String sandboxId) {
    return inits.pidNamespace(sandboxId).toString();
  }

  @Override
  public void stop(String sandboxId) {
    inits.stop(sandboxId);
  }
}
