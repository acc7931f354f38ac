package dev.kona.oci.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One lifecycle hook: a program run by the runtime at a given point. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Hook(String path, List<String> args, List<String> env, Integer timeout) {
  public Hook {
    args = Copies.list(args);
    env = Copies.list(env);
  }
}
