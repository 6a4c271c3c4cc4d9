package io.parallax.bus;

/** The error codes of Parallax's one error shape, each with the HTTP status it maps to. */
public enum ErrorCode {
  INVALID_PARAM(400),
  MALFORMED_JSON(400),
  UNAUTHORIZED(401),
  ACCESS_DENIED(403),
  UNKNOWN_TASK(404),
  NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  CANCELLED(409),
  NOT_FINISHED(409),
  NO_RESULT(409),
  BODY_TOO_LARGE(413),
  UNSUPPORTED_MEDIA_TYPE(415),
  TASK_FAILED(500),
  INTERNAL(500),
  QUEUE_FULL(503),
  DRAINING(503),
  NO_HANDLERS(503),
  TIMEOUT(504);

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** Seconds a client should wait before retrying, for the codes that mean "try again later"; 0 otherwise. */
  public int retryAfterSeconds() {
    return switch (this) {
      case QUEUE_FULL, NO_HANDLERS -> 1;
      case DRAINING -> 5;
      default -> 0;
    };
  }
}
