package dev.kona.runtime.spec;

import java.util.List;

/**
 * What a container takes from its image's config: the defaults the CRI request may override.
 *
 * @param user the image's USER ("", "uid", "name", "uid:gid", "name:group")
 * @param stopSignal STOPSIGNAL, empty for SIGTERM
 * @param volumes the image's VOLUMEs, container paths that get a fresh directory each unless a CRI
 *     mount covers them
 */
public record ImageFacts(
    List<String> entrypoint,
    List<String> cmd,
    List<String> env,
    String workingDir,
    String user,
    String stopSignal,
    List<String> volumes) {

  public static final ImageFacts EMPTY = new ImageFacts(List.of(), List.of(), List.of(), "", "", "", List.of());

  public ImageFacts {
    entrypoint = List.copyOf(entrypoint == null ? List.of() : entrypoint);
    cmd = List.copyOf(cmd == null ? List.of() : cmd);
    env = List.copyOf(env == null ? List.of() : env);
    workingDir = workingDir == null ? "" : workingDir;
    user = user == null ? "" : user;
    stopSignal = stopSignal == null ? "" : stopSignal;
    volumes = List.copyOf(volumes == null ? List.of() : volumes);
  }
}
