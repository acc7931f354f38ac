package dev.kona.cni.config;

import java.util.regex.Pattern;

/** The CNI rule for network names, container ids and (loosely) interface names. */
public final class NetworkName {

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]*");

  private NetworkName() {}

  public static boolean isValid(String name) {
    return name != null && VALID.matcher(name).matches();
  }
}
