package dev.kona.cni.result;

import dev.kona.common.error.ErrorKind;

/**
 * A plugin's error result.
 *
 * @param code the CNI error code (0-99 well known, 100+ plugin specific)
 * @param msg the short message
 * @param details the longer message, may be empty
 */
public record CniError(int code, String msg, String details) {

  public static final int INCOMPATIBLE_VERSION = 1;
  public static final int UNSUPPORTED_FIELD = 2;
  public static final int UNKNOWN_CONTAINER = 3;
  public static final int INVALID_ENVIRONMENT = 4;
  public static final int IO_FAILURE = 5;
  public static final int DECODE_FAILURE = 6;
  public static final int INVALID_CONFIG = 7;
  public static final int TRY_AGAIN_LATER = 11;
  public static final int NOT_AVAILABLE = 50;
  public static final int NOT_AVAILABLE_DEGRADED = 51;

  public CniError {
    msg = msg == null ? "" : msg;
    details = details == null ? "" : details;
  }

  public static CniError from(ErrorJson json) {
    return new CniError(json.code() == null ? 0 : json.code(), json.msg(), json.details());
  }

  /**
   * The error family kind: configuration problems on this node are a failed precondition for the
   * caller, transient ones are unavailable, the rest are internal failures of the plugin.
   */
  public ErrorKind kind() {
    return switch (code) {
      case INCOMPATIBLE_VERSION, UNSUPPORTED_FIELD, INVALID_ENVIRONMENT, DECODE_FAILURE, INVALID_CONFIG ->
          ErrorKind.FAILED_PRECONDITION;
      case UNKNOWN_CONTAINER -> ErrorKind.NOT_FOUND;
      case TRY_AGAIN_LATER, NOT_AVAILABLE, NOT_AVAILABLE_DEGRADED -> ErrorKind.UNAVAILABLE;
      default -> ErrorKind.INTERNAL;
    };
  }

  @Override
  public String toString() {
    return "code " + code + " \"" + msg + "\"" + (details.isEmpty() ? "" : ": " + details);
  }
}
