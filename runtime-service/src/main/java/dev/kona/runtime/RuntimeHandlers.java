package dev.kona.runtime;

import dev.kona.engine.ContainerEngine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The engines a pod can ask for by its CRI {@code runtime_handler}. The default handler {@code ""}
 * (also accepted as {@code "kona"}) is Kona's native engine; the others are the node's configured
 * handlers, runc or crun under conmon. A pod keeps its handler for life: every container of the pod
 * runs on that handler's engine, also after a daemon restart.
 */
public final class RuntimeHandlers {

  /** The handler the kubelet sends for pods without a RuntimeClass. */
  public static final String DEFAULT = "";

  /** What a handler supports, as the kubelet reads it from Status; false unless Kona honours it end to end. */
  public record Features(boolean recursiveReadOnlyMounts, boolean userNamespaces) {
    public static final Features NONE = new Features(false, false);
  }

  /** A named engine; {@code name} is what RuntimeClass.handler says. */
  public record Handler(String name, ContainerEngine engine, Features features) {
    public Handler {
      if (name == null || engine == null || features == null) {
        throw new IllegalArgumentException("runtime handler: name, engine and features are required");
      }
    }
  }

  private final Handler defaultHandler;
  private final Map<String, Handler> configured = new LinkedHashMap<>();

  /** @param configured the extra handlers, in config order; none may be named "" or "kona" */
  public RuntimeHandlers(ContainerEngine nativeEngine, List<Handler> configured) {
    this(nativeEngine, Features.NONE, configured);
  }

  /** @param nativeFeatures what Kona's engine can do on this host (probed at start) */
  public RuntimeHandlers(ContainerEngine nativeEngine, Features nativeFeatures, List<Handler> configured) {
    this.defaultHandler = new Handler(DEFAULT, nativeEngine, nativeFeatures);
    for (Handler h : configured) {
      if (isDefaultName(h.name())) {
        throw new IllegalArgumentException("runtime handler \"" + h.name() + "\" is reserved for Kona's engine");
      }
      if (this.configured.putIfAbsent(h.name(), h) != null) {
        throw new IllegalArgumentException("runtime handler \"" + h.name() + "\" is declared twice");
      }
    }
  }

  /** Only Kona's native engine, as on a node with no handlers configured. */
  public static RuntimeHandlers nativeOnly(ContainerEngine nativeEngine) {
    return new RuntimeHandlers(nativeEngine, List.of());
  }

  /** The handler of that name; "" and "kona" are the default. */
  public Optional<Handler> find(String name) {
    if (name == null || isDefaultName(name)) {
      return Optional.of(defaultHandler);
    }
    return Optional.ofNullable(configured.get(name));
  }

  /** The default first, then the configured ones in config order: what Status lists. */
  public List<Handler> all() {
    List<Handler> all = new ArrayList<>();
    all.add(defaultHandler);
    all.addAll(configured.values());
    return all;
  }

  /** The accepted names for error messages: {@code "" (default), "kona", "runc"}. */
  public String describe() {
    List<String> names = new ArrayList<>(List.of("\"\" (the default: Kona's engine)", "\"" + RuntimeInfo.RUNTIME_NAME + "\""));
    names.addAll(configured.keySet().stream().map(n -> "\"" + n + "\"").toList());
    return names.stream().collect(Collectors.joining(", "));
  }

  public static boolean isDefaultName(String name) {
    return name.isEmpty() || name.equals(RuntimeInfo.RUNTIME_NAME);
  }
}
