package dev.ticklake.orchestrator.cli;

import io.dropwizard.core.cli.Cli;

/** A user-facing CLI failure: printed as one line on stderr, exit code 1, no stack trace. */
public final class CliException extends RuntimeException {
  public CliException(String message) {
    super(message);
  }

  /**
   * Prints {@code e} as one line ({@code prefix} + message) on the CLI's stderr when it is a user
   * error: a {@link CliException}, an {@link ApiClient.ApiException}, or one of {@code alsoUser}.
   * Returns false for anything else, which the command leaves to Dropwizard (with its stack trace).
   */
  @SafeVarargs
  static boolean printUserError(
      Cli cli, String prefix, Throwable e, Class<? extends Throwable>... alsoUser) {
    boolean user = e instanceof CliException || e instanceof ApiClient.ApiException;
    for (Class<? extends Throwable> c : alsoUser) {
      user |= c.isInstance(e);
    }
    if (user) {
      cli.getStdErr().println(prefix + e.getMessage());
      cli.getStdErr().flush();
    }
    return user;
  }
}
