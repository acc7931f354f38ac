package dev.kona.engine;

import dev.kona.engine.plan.LaunchPlan;
import dev.kona.oci.spec.Spec;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the native engine puts a container's process: creates its cgroups with the spec's limits
 * before the container starts, and removes them after it is gone. The cgroup module's manager sits
 * behind this; {@link #none()} keeps processes in the monitor's cgroups.
 */
public interface CgroupPlacement {

  /** The cgroup.procs files to join and where OOM kills are counted (null if unknown). */
  record Placed(List<Path> procsFiles, LaunchPlan.OomCounter oomCounter) {
    public Placed {
      procsFiles = List.copyOf(procsFiles);
    }
  }

  Placed create(ContainerId id, Spec spec);

  /** The same answer as {@link #create} for a container that exists, without touching its cgroups. */
  Placed locate(ContainerId id, Spec spec);

  /**
   * The container's process has joined the cgroups {@link #create} returned (or its launch failed):
   * release whatever kept them alive until then, such as the placeholder process a systemd scope is
   * created with. Called once after each create; a no-op for placements that need nothing.
   */
  default void launched(ContainerId id) {}

  /** Kills what is left in the container's cgroups and removes them; missing ones are fine. */
  void remove(ContainerId id, Spec spec);

  static CgroupPlacement none() {
    return new CgroupPlacement() {
      @Override
      public Placed create(ContainerId id, Spec spec) {
        return new Placed(List.of(), null);
      }

      @Override
      public Placed locate(ContainerId id, Spec spec) {
        return create(id, spec);
      }

      @Override
      public void remove(ContainerId id, Spec spec) {}
    };
  }
}
