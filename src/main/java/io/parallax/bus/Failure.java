package io.parallax.bus;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * A failure as every entrance reports it: {@code {"error": {"code", "message", "field"?}}}.
 *
 * <p>On the event bus a failure travels as {@code message.fail(httpStatus, <this failure's JSON>)}, so a
 * bridge client gets both a numeric code and the same structured error an HTTP client sees.
 */
public record Failure(ErrorCode code, String message, String field) {

  public Failure {
    if (code == null || message == null) {
      throw new IllegalArgumentException("code and message are required");
    }
  }

  public static Failure of(ErrorCode code, String message) {
    return new Failure(code, message, null);
  }

  public static Failure invalidParam(String field, String message) {
    return new Failure(ErrorCode.INVALID_PARAM, message, field);
  }

  public JsonObject toJson() {
    JsonObject error = new JsonObject().put("code", code.name()).put("message", message);
    if (field != null) {
      error.put("field", field);
    }
    return new JsonObject().put("error", error);
  }

  /** Fails an event-bus message with this failure. */
  public void failMessage(Message<?> message) {
    message.fail(code.httpStatus(), toJson().encode());
  }

  /**
   * Maps any failure of an event-bus request to the failure a client should see: a recipient's own
   * structured failure as it was sent, no handlers as 503, a send timeout as 504.
   */
  public static Failure from(Throwable cause) {
    if (cause instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case NO_HANDLERS -> of(ErrorCode.NO_HANDLERS, "no handler for this address");
        case TIMEOUT -> of(ErrorCode.TIMEOUT, "no reply within the timeout");
        default -> parse(reply.failureCode(), reply.getMessage());
      };
    }
    if (cause instanceof FailureException failureException) {
      return failureException.failure();
    }
    return of(ErrorCode.INTERNAL, "internal error");
  }

  private static Failure parse(int status, String text) {
    if (text != null && text.startsWith("{")) {
      try {
        JsonObject error = new JsonObject(text).getJsonObject("error");
        if (error != null) {
          ErrorCode code = ErrorCode.valueOf(error.getString("code"));
          return new Failure(code, error.getString("message", code.name()), error.getString("field"));
        }
      } catch (DecodeException | IllegalArgumentException | ClassCastException | NullPointerException ignored) {
        // not one of ours: fall through to a generic failure below
      }
    }
    ErrorCode code = status >= 400 && status < 500 ? ErrorCode.INVALID_PARAM : ErrorCode.TASK_FAILED;
    return of(code, text == null ? code.name() : text);
  }
}
