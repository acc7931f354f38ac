package dev.kona.runtime.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kona.common.error.InvalidArgumentException;
import dev.kona.runtime.container.ContainerSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessArgsTest {

  static ContainerSpec spec(List<String> command, List<String> args, List<ContainerSpec.EnvVar> env) {
    return new ContainerSpec("c", 0, "busybox", command, args, "", env, null, null, null, null, "", false, false,
        false, null, null);
  }

  static final ImageFacts IMAGE = new ImageFacts(List.of("/entry"), List.of("default", "cmd"),
      List.of("PATH=/image/bin", "A=image"), "/work", "", "", List.of());

  @Test
  void argv_followsKubernetesRules() {
    assertEquals(List.of("/entry", "default", "cmd"), ProcessArgs.argv(spec(null, null, null), IMAGE));
    assertEquals(List.of("/entry", "x"), ProcessArgs.argv(spec(null, List.of("x"), null), IMAGE));
    assertEquals(List.of("sh"), ProcessArgs.argv(spec(List.of("sh"), null, null), IMAGE));
    assertEquals(List.of("sh", "-c", "true"), ProcessArgs.argv(spec(List.of("sh"), List.of("-c", "true"), null), IMAGE));
  }

  @Test
  void argv_nothingToRun_isInvalidArgument() {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> ProcessArgs.argv(spec(null, null, null), ImageFacts.EMPTY));
    assertEquals("create container c: no command: config.command, config.args and the image's entrypoint and cmd are all empty",
        e.getMessage());
  }

  @Test
  void env_containerOverridesImage_andPathDefaults() {
    List<String> env = ProcessArgs.env(spec(null, null, List.of(new ContainerSpec.EnvVar("A", "pod"),
        new ContainerSpec.EnvVar("B", "b"))), IMAGE, "web");
    assertEquals(List.of("PATH=/image/bin", "A=pod", "HOSTNAME=web", "B=b"), env);
    assertEquals(List.of(ProcessArgs.DEFAULT_PATH), ProcessArgs.env(spec(null, null, null), ImageFacts.EMPTY, ""));
  }

  @Test
  void env_withTerminal_termIsXtermUnlessTheImageOrContainerSetsIt() {
    ContainerSpec tty = new ContainerSpec("c", 0, "busybox", null, null, "", null, null, null, null, null, "", true,
        false, true, null, null);
    assertEquals(List.of("PATH=/image/bin", "A=image", "TERM=xterm"), ProcessArgs.env(tty, IMAGE, ""));
    ImageFacts withTerm = new ImageFacts(List.of(), List.of("sh"), List.of("TERM=vt100"), "", "", "", List.of());
    assertEquals(List.of(ProcessArgs.DEFAULT_PATH, "TERM=vt100"), ProcessArgs.env(tty, withTerm, ""));
    ContainerSpec ttyWithTerm = new ContainerSpec("c", 0, "busybox", null, null, "",
        List.of(new ContainerSpec.EnvVar("TERM", "dumb")), null, null, null, null, "", true, false, true, null, null);
    assertEquals(List.of("PATH=/image/bin", "A=image", "TERM=dumb"), ProcessArgs.env(ttyWithTerm, IMAGE, ""));
    assertEquals(List.of("PATH=/image/bin", "A=image"), ProcessArgs.env(spec(null, null, null), IMAGE, ""));
  }
}
