package dev.kona.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Kona's version as the build stamped it into {@code kona-version.properties}. */
public final class BuildInfo {

  private static final String VERSION = load();

  private BuildInfo() {}

  public static String version() {
    return VERSION;
  }

  private static String load() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("/kona-version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // fall through to the default below
    }
    String v = p.getProperty("version", "");
    return v.isBlank() || v.startsWith("${") ? "0.0.0-dev" : v;
  }
}
