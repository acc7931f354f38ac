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
   * @param engine {@code runc} or {@code crun}
   * @param binary the runtime's executable; default {@code /usr/sbin/runc} or {@code /usr/bin/crun}
   * @param root the runtime's own state directory ({@code --root}); default
   *     {@code <run_root>/handlers/<name>/root}
   */
  public record Handler(String engine, String binary, String root) {

    public static final String RUNC = "runc";
    public static final String CRUN = "crun";

    public Handler {
      if (engine == null) {
        throw new IllegalArgumentException("engine: missing; expected runc or crun");
      }
      if (!engine.equals(RUNC) && !engine.equals(CRUN)) {
        throw new IllegalArgumentException("engine: expected runc or crun, got \"" + engine + "\"");
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
      return Path.of(engine.equals(RUNC) ? "/usr/sbin/runc" : "/usr/bin/crun");
    }

    /** The configured runtime root, or one of Kona's own under {@code handlerDir}. */
    public Path rootPath(Path handlerDir) {
      return root != null ? Path.of(root) : handlerDir.resolve("root");
    }
  }
}
