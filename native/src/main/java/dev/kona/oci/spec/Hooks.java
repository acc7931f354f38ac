package dev.kona.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** {@code hooks}: the CRI does not use them; kept so a config.json carrying them round-trips. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Hooks(
    List<Hook> prestart,
    List<Hook> createRuntime,
    List<Hook> createContainer,
    List<Hook> startContainer,
    List<Hook> poststart,
    List<Hook> poststop) {

  public Hooks {
    prestart = Copies.list(prestart);
    createRuntime = Copies.list(createRuntime);
    createContainer = Copies.list(createContainer);
    startContainer = Copies.list(startContainer);
    poststart = Copies.list(poststart);
    poststop = Copies.list(poststop);
  }
}
