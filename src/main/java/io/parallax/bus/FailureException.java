package io.parallax.bus;

/** An exception that carries a {@link Failure} meant for the client, so it can cross future chains intact. */
public class FailureException extends RuntimeException {

  private final transient Failure failure;

  public FailureException(Failure failure) {
    super(failure.message(), null, false, false);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }
}
