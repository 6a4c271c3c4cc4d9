package io.parallax.config;

/** A configuration problem, worded as the one line the user sees before the process exits with code 2. */
public class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
