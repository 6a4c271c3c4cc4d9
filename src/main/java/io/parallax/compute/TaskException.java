package io.parallax.compute;

import io.parallax.bus.ErrorCode;
import io.parallax.bus.Failure;
import io.parallax.bus.FailureException;

/** Thrown by a task (or its parameter checks) to fail with a code and message meant for the client. */
public class TaskException extends FailureException {

  public TaskException(ErrorCode code, String message) {
    super(Failure.of(code, message));
  }

  public TaskException(Failure failure) {
    super(failure);
  }

  public static TaskException invalidParam(String field, String message) {
    return new TaskException(Failure.invalidParam(field, message));
  }
}
