package dev.kona.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The OCI runtime-spec {@code config.json} (runtime-spec 1.x), Linux fields only. A wire shape:
 * it mirrors the JSON field names exactly and checks nothing beyond what Jackson needs; the code
 * that builds a spec from CRI requests validates. Read and write it with {@link SpecJson}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Spec(
    @JsonProperty("ociVersion") String ociVersion,
    Process process,
    Root root,
    String hostname,
    String domainname,
    List<SpecMount> mounts,
    Hooks hooks,
    Map<String, String> annotations,
    Linux linux) {

  /**
   * The runtime-spec version Kona writes: 1.0.2, because crun 1.8 (Debian 12) refuses any
   * ociVersion without "1.0" in it; every field Kona writes exists in 1.0.2.
   */
  public static final String VERSION = "1.0.2";

  public Spec {
    mounts = Copies.list(mounts);
    annotations = Copies.map(annotations);
  }

  public Spec withProcess(Process p) {
    return new Spec(ociVersion, p, root, hostname, domainname, mounts, hooks, annotations, linux);
  }

  public Spec withRoot(Root r) {
    return new Spec(ociVersion, process, r, hostname, domainname, mounts, hooks, annotations, linux);
  }

  public Spec withHostname(String h) {
    return new Spec(ociVersion, process, root, h, domainname, mounts, hooks, annotations, linux);
  }

  public Spec withMounts(List<SpecMount> m) {
    return new Spec(ociVersion, process, root, hostname, domainname, m, hooks, annotations, linux);
  }

  public Spec withAnnotations(Map<String, String> a) {
    return new Spec(ociVersion, process, root, hostname, domainname, mounts, hooks, a, linux);
  }

  public Spec withLinux(Linux l) {
    return new Spec(ociVersion, process, root, hostname, domainname, mounts, hooks, annotations, l);
  }
}
