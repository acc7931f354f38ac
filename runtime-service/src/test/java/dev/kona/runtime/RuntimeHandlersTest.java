package dev.kona.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kona.engine.ContainerEngine;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuntimeHandlersTest {

  private static ContainerEngine engine(String name) {
    return (ContainerEngine) Proxy.newProxyInstance(ContainerEngine.class.getClassLoader(),
        new Class<?>[] {ContainerEngine.class}, (proxy, method, args) -> switch (method.getName()) {
          case "name" -> name;
          case "toString" -> "engine " + name;
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  private final ContainerEngine kona = engine("kona");
  private final ContainerEngine runc = engine("runc");

  @Test
  void find_defaultUnderBothNames_configuredByName_unknownEmpty() {
    RuntimeHandlers handlers = new RuntimeHandlers(kona,
        List.of(new RuntimeHandlers.Handler("fast", runc, RuntimeHandlers.Features.NONE)));
    assertSame(kona, handlers.find("").orElseThrow().engine());
    assertSame(kona, handlers.find("kona").orElseThrow().engine());
    assertSame(runc, handlers.find("fast").orElseThrow().engine());
    assertTrue(handlers.find("runc").isEmpty(), "handlers go by their configured name, not the engine's");
    assertEquals(List.of("", "fast"), handlers.all().stream().map(RuntimeHandlers.Handler::name).toList());
    assertEquals("\"\" (the default: Kona's engine), \"kona\", \"fast\"", handlers.describe());
    assertEquals("\"\" (the default: Kona's engine), \"kona\"", RuntimeHandlers.nativeOnly(kona).describe());
  }

  @Test
  void defaultNames_andDuplicates_areRefused() {
    RuntimeHandlers.Handler named = new RuntimeHandlers.Handler("kona", runc, RuntimeHandlers.Features.NONE);
    assertThrows(IllegalArgumentException.class, () -> new RuntimeHandlers(kona, List.of(named)));
    RuntimeHandlers.Handler twice = new RuntimeHandlers.Handler("r", runc, RuntimeHandlers.Features.NONE);
    assertThrows(IllegalArgumentException.class, () -> new RuntimeHandlers(kona, List.of(twice, twice)));
  }
}
