package dev.kona.image.manifest;

import dev.kona.image.content.Digest;
import java.util.List;
import java.util.Map;

/**
 * What a container takes from its image's configuration: user, environment, command, working
 * directory, labels, stop signal, ports and volumes, plus the layer diff IDs.
 */
public record ImageRunConfig(
    String os,
    String architecture,
    String user,
    List<String> env,
    List<String> entrypoint,
    List<String> cmd,
    String workingDir,
    Map<String, String> labels,
    String stopSignal,
    List<String> exposedPorts,
    List<String> volumes,
    List<Digest> diffIds) {

  public ImageRunConfig {
    user = user == null ? "" : user;
    env = env == null ? List.of() : List.copyOf(env);
    entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
    cmd = cmd == null ? List.of() : List.copyOf(cmd);
    workingDir = workingDir == null ? "" : workingDir;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    stopSignal = stopSignal == null ? "" : stopSignal;
    exposedPorts = exposedPorts == null ? List.of() : List.copyOf(exposedPorts);
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
    diffIds = List.copyOf(diffIds);
  }
}
