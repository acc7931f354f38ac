package dev.kona.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code mounts[]}: one mount into the container, with fstab-style options ({@code rbind},
 * {@code ro}, {@code nosuid}, {@code rprivate}, ...). Named apart from {@code dev.kona.linux.mount.Mount},
 * the kernel-level record the mounter performs.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SpecMount(
    String destination,
    String type,
    String source,
    List<String> options,
    List<IdMapping> uidMappings,
    List<IdMapping> gidMappings) {

  public SpecMount {
    options = Copies.list(options);
    uidMappings = Copies.list(uidMappings);
    gidMappings = Copies.list(gidMappings);
  }

  public static SpecMount of(String destination, String type, String source, List<String> options) {
    return new SpecMount(destination, type, source, options, List.of(), List.of());
  }
}
