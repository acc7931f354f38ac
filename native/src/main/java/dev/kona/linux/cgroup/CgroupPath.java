package dev.kona.linux.cgroup;

import dev.kona.common.error.InvalidArgumentException;

/**
 * A cgroup's path relative to the root of its hierarchy, as {@code /proc/<pid>/cgroup} shows it:
 * absolute, no {@code .} or {@code ..} components, no trailing slash ({@code /} is the root).
 */
public record CgroupPath(String value) {

  public CgroupPath {
    if (value == null || !value.startsWith("/")) {
      throw new InvalidArgumentException("cgroup path: expected an absolute path, got " + value);
    }
    if (value.length() > 1 && value.endsWith("/")) {
      value = value.substring(0, value.length() - 1);
    }
    for (String part : value.substring(1).split("/")) {
      if (value.length() > 1 && (part.isEmpty() || part.equals(".") || part.equals(".."))) {
        throw new InvalidArgumentException("cgroup path: bad component \"" + part + "\" in " + value);
      }
    }
  }

  public static CgroupPath parse(String text) {
    return new CgroupPath(text);
  }

  public static final CgroupPath ROOT = new CgroupPath("/");

  public boolean isRoot() {
    return value.equals("/");
  }

  public CgroupPath child(String name) {
    if (name.isEmpty() || name.contains("/")) {
      throw new InvalidArgumentException("cgroup name: expected one path component, got \"" + name + "\"");
    }
    return new CgroupPath(isRoot() ? "/" + name : value + "/" + name);
  }

  public CgroupPath parent() {
    int slash = value.lastIndexOf('/');
    return slash <= 0 ? ROOT : new CgroupPath(value.substring(0, slash));
  }

  /** The path without its leading slash, to resolve against a hierarchy's mount point. */
  public String relative() {
    return value.substring(1);
  }

  public String name() {
    return value.substring(value.lastIndexOf('/') + 1);
  }

  @Override
  public String toString() {
    return value;
  }
}
