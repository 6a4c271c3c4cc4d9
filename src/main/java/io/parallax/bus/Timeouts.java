package io.parallax.bus;

/** Parses a request's timeout in milliseconds, the same way on every entrance. */
public final class Timeouts {

  private Timeouts() {
  }

  /**
   * @param raw a number, a decimal string, or null for {@code fallback}
   * @throws FailureException {@code INVALID_PARAM} on field {@code timeout} unless it is 1 to {@code max}
   */
  public static long parse(Object raw, long fallback, long max) {
    if (raw == null) {
      return fallback;
    }
    long timeout = -1;
    if (raw instanceof Number number) {
      timeout = number.longValue();
    } else {
      try {
        timeout = Long.parseLong(raw.toString().trim());
      } catch (NumberFormatException notANumber) {
        // reported below
      }
    }
    if (timeout < 1 || timeout > max) {
      throw new FailureException(Failure.invalidParam("timeout", "timeout must be between 1 and " + max + " ms"));
    }
    return timeout;
  }
}
