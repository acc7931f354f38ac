package dev.kona.server.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code [runtime]} section: extra runtime handlers pods can pick by RuntimeClass (the CRI
 * {@code runtime_handler}). The default handler {@code ""}, also named {@code "kona"}, is always
 * Kona's own engine and cannot be redeclared. Handlers are tables, so they come from the file only.
 *
 * @param handlers {@code [runtime.handlers.<name>]}, in file order
 */
public record RuntimeSection(Map<String, Handler> handlers) {

  /** RuntimeClass.handler is a DNS label; the name also becomes a directory under run_root. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  public RuntimeSection {
    handlers = handlers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(handlers));
    for (String name : handlers.keySet()) {
      if (name.equals("kona")) {
        throw new IllegalArgumentException(
            "runtime.handlers.kona: the name is reserved for Kona's own engine, the default handler");
      }
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("runtime.handlers: \"" + name + "\" is not a handler name;"
            + " like RuntimeClass.handler it must be a DNS label (lowercase letters, digits and '-', at most 63)");
      }
    }
  }

  /**
   * One handler: an OCI runtime run under conmon, as CRI-O runs it.
   *
   * @param engine {@code runc}, {@code crun} or {@code runsc} (gVisor)
   * @param binary the runtime's executable; default {@code /usr/sbin/runc}, {@code /usr/bin/crun}
   *     or {@code /usr/bin/runsc}
   * @param root the runtime's own state directory ({@code --root}); default
   *     {@code <run_root>/handlers/<name>/root}
   * @param platform runsc only: gVisor's {@code --platform}, {@code ptrace} (default) or {@code kvm}
   * @param network runsc only: gVisor's {@code --network}: {@code host} (default: the host kernel's
   *     stack in the pod's network namespace, which every container of the pod shares),
   *     {@code sandbox} (gVisor's own stack, which takes the pod's interfaces for the first
   *     container alone) or {@code none}
   */
  public record Handler(String engine, String binary, String root, String platform, String network) {

    public static final String RUNC = "runc";
    public static final String CRUN = "crun";
    public static final String RUNSC = "runsc";

    public Handler(String engine, String binary, String root) {
      this(engine, binary, root, null, null);
    }

    public Handler {
      if (engine == null) {
        throw new IllegalArgumentException("engine: missing; expected runc, crun or runsc");
      }
      if (!engine.equals(RUNC) && !engine.equals(CRUN) && !engine.equals(RUNSC)) {
        throw new IllegalArgumentException("engine: expected runc, crun or runsc, got \"" + engine + "\"");
      }
      if (!engine.equals(RUNSC) && (platform != null || network != null)) {
        throw new IllegalArgumentException((platform != null ? "platform" : "network")
            + ": only a runsc (gVisor) handler takes it, this one is " + engine);
      }
      if (platform != null && !platform.equals("ptrace") && !platform.equals("kvm")) {
        throw new IllegalArgumentException("platform: expected ptrace or kvm, got \"" + platform + "\"");
      }
      if (network != null && !network.equals("sandbox") && !network.equals("host") && !network.equals("none")) {
        throw new IllegalArgumentException("network: expected sandbox, host or none, got \"" + network + "\"");
      }
      if (binary != null && !binary.startsWith("/")) {
        throw new IllegalArgumentException("binary: must be an absolute path, got \"" + binary + "\"");
      }
      if (root != null && !root.startsWith("/")) {
        throw new IllegalArgumentException("root: must be an absolute path, got \"" + root + "\"");
      }
    }

    /** The configured binary, or where Debian installs this engine. */
    public Path binaryPath() {
      if (binary != null) {
        return Path.of(binary);
      }
      return Path.of(switch (engine) {
        case RUNC -> "/usr/sbin/runc";
        case RUNSC -> "/usr/bin/runsc";
        default -> "/usr/bin/crun";
      });
    }

    /** gVisor's platform: the configured one or ptrace, which needs no virtualisation. */
    public String platformOrDefault() {
      return platform != null ? platform : "ptrace";
    }

    /** gVisor's network mode: the configured one or host, the one a pod of several containers can share. */
    public String networkOrDefault() {
      return network != null ? network : "host";
    }

    /** The configured runtime root, or one of Kona's own under {@code handlerDir}. */
    public Path rootPath(Path handlerDir) {
      return root != null ? Path.of(root) : handlerDir.resolve("root");
    }
  }
}
