package dev.kona.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** {@code process.capabilities}: the five sets, as {@code CAP_*} names. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Capabilities(
    List<String> bounding,
    List<String> effective,
    List<String> inheritable,
    List<String> permitted,
    List<String> ambient) {

  public Capabilities {
    bounding = Copies.list(bounding);
    effective = Copies.list(effective);
    inheritable = Copies.list(inheritable);
    permitted = Copies.list(permitted);
    ambient = Copies.list(ambient);
  }

  /** The same names in bounding, effective and permitted; inheritable and ambient empty (CRI default). */
  public static Capabilities of(List<String> names) {
    return new Capabilities(names, names, List.of(), names, List.of());
  }
}
