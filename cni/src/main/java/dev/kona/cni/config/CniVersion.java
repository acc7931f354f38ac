package dev.kona.cni.config;

import dev.kona.common.error.InvalidArgumentException;

/** A CNI spec version such as {@code 1.0.0}; ordered by semantic version. */
public record CniVersion(int major, int minor, int patch) implements Comparable<CniVersion> {

  /** The newest spec this runtime implements; configs asking for newer ones are capped here. */
  public static final CniVersion LATEST = new CniVersion(1, 1, 0);
  /** The oldest spec whose result shape (ips/interfaces/routes) this runtime reads. */
  public static final CniVersion OLDEST_SUPPORTED = new CniVersion(0, 3, 0);
  /** CHECK and prevResult on DEL appeared in 0.4.0. */
  public static final CniVersion V0_4_0 = new CniVersion(0, 4, 0);
  /** STATUS and GC appeared in 1.1.0. */
  public static final CniVersion V1_1_0 = LATEST;

  public CniVersion {
    if (major < 0 || minor < 0 || patch < 0) {
      throw new InvalidArgumentException("CNI version parts must not be negative");
    }
  }

  public static CniVersion parse(String text) {
    String[] parts = text == null ? new String[0] : text.split("\\.", -1);
    if (parts.length < 1 || parts.length > 3) {
      throw new InvalidArgumentException("parse CNI version: expected x.y.z, got \"" + text + "\"");
    }
    try {
      int major = Integer.parseInt(parts[0]);
      int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      int patch = parts.length > 2 ? Integer.parseInt(parts[2]) : 0;
      return new CniVersion(major, minor, patch);
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException("parse CNI version: expected x.y.z, got \"" + text + "\"", e);
    }
  }

  public boolean atLeast(CniVersion other) {
    return compareTo(other) >= 0;
  }

  @Override
  public int compareTo(CniVersion o) {
    int c = Integer.compare(major, o.major);
    if (c == 0) {
      c = Integer.compare(minor, o.minor);
    }
    return c != 0 ? c : Integer.compare(patch, o.patch);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }
}
