package dev.kona.linux.mount;

import dev.kona.common.error.InvalidArgumentException;
import java.util.Arrays;
import java.util.List;

/**
 * One mount to perform: filesystem {@code type} ({@code "bind"} for bind mounts), {@code source},
 * absolute {@code target}, and fstab-style {@code options} ({@code ro}, {@code rbind},
 * {@code rprivate}, {@code lowerdir=...}). What a snapshotter returns and {@link Mounter} performs.
 *
 * <p>Wire form (toString/parse): an fstab line, {@code source target type opt1,opt2}, with spaces
 * and commas escaped as fstab does ({@code \040}).
 */
public record Mount(String type, String source, String target, List<String> options) {

  public Mount {
    if (type == null || type.isBlank()) {
      throw new InvalidArgumentException("mount type: expected a filesystem type or \"bind\", got empty");
    }
    if (target == null || !target.startsWith("/")) {
      throw new InvalidArgumentException("mount target: expected an absolute path, got " + target);
    }
    source = source == null ? "none" : source;
    options = options == null ? List.of() : List.copyOf(options);
  }

  public static Mount bind(String source, String target, String... options) {
    return new Mount("bind", source, target, List.of(options));
  }

  public static Mount tmpfs(String target, String... options) {
    return new Mount("tmpfs", "tmpfs", target, List.of(options));
  }

  /** An overlay of {@code lowers} (topmost first) under a writable {@code upper} with its {@code work} dir. */
  public static Mount overlay(List<String> lowers, String upper, String work, String target) {
    if (lowers.isEmpty()) {
      throw new InvalidArgumentException("overlay lowerdir: expected at least one layer, got none");
    }
    String lower = "lowerdir=" + String.join(":", lowers);
    List<String> options = upper == null
        ? List.of(lower)
        : List.of(lower, "upperdir=" + upper, "workdir=" + work);
    return new Mount("overlay", "overlay", target, options);
  }

  public boolean isBind() {
    return type.equals("bind") || options.contains("bind") || options.contains("rbind");
  }

  public Mount withTarget(String newTarget) {
    return new Mount(type, source, newTarget, options);
  }

  public static Mount parse(String line) {
    String[] f = line.trim().split("\\s+");
    if (f.length < 3 || f.length > 4) {
      throw new InvalidArgumentException(
          "mount: expected \"source target type [options]\", got \"" + line + "\"");
    }
    List<String> options = f.length == 4 && !f[3].equals("defaults")
        ? Arrays.stream(f[3].split(",")).map(Mount::unescape).toList()
        : List.of();
    return new Mount(f[2], unescape(f[0]), unescape(f[1]), options);
  }

  @Override
  public String toString() {
    String opts = options.isEmpty()
        ? "defaults"
        : String.join(",", options.stream().map(Mount::escape).toList());
    return escape(source) + " " + escape(target) + " " + type + " " + opts;
  }

  static String escape(String s) {
    return s.replace("\\", "\\134").replace(" ", "\\040").replace("\t", "\\011")
        .replace("\n", "\\012").replace(",", "\\054");
  }

  /** Decodes the octal escapes fstab and /proc/self/mountinfo use. */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
