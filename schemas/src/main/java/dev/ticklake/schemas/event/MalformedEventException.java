package dev.ticklake.schemas.event;

/**
 * A market-event payload that does not have the documented structure or types.
 *
 * <p>The message is the complete, user-facing reason (e.g. {@code missing field 'price'}) and is
 * meant to be stored as-is in the {@code reason} column of {@code silver/quarantine}.
 *
 * <p>Checked on purpose: the architecture requires bad records to go to quarantine, never to be
 * dropped silently, so every caller must decide where they go. The exception carries no stack
 * trace: it is expected, frequent under a misbehaving producer, and the message says everything.
 */
public final class MalformedEventException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates an exception whose message is the complete reason. */
  public MalformedEventException(String reason) {
    super(reason, null, false, false);
  }

  /** Creates an exception whose message is the complete reason, keeping the parser's cause. */
  public MalformedEventException(String reason, Throwable cause) {
    super(reason, cause, false, false);
  }
}
