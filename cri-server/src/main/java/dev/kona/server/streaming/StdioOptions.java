package dev.kona.server.streaming;

import dev.kona.common.error.InvalidArgumentException;

/**
 * Which of a command's standard streams a client wants, and whether it runs on a terminal. A
 * terminal merges stderr into stdout, so asking for both is an error (as in cri-streaming).
 */
public record StdioOptions(boolean stdin, boolean stdout, boolean stderr, boolean tty) {

  public StdioOptions {
    if (tty && stderr) {
      throw new InvalidArgumentException("stdio: tty and stderr cannot both be true");
    }
    if (!stdin && !stdout && !stderr) {
      throw new InvalidArgumentException("stdio: one of stdin, stdout or stderr must be set");
    }
  }
}
