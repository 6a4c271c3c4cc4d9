package io.parallax.support;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test class if Vert.x's blocked-thread checker spoke while it ran: no event loop may ever run a
 * task, and no worker may run past its allowed time.
 */
public final class BlockedThreadWatch implements BeforeAllCallback, AfterAllCallback {

  private final Recorder recorder = new Recorder();

  @Override
  public void beforeAll(ExtensionContext context) {
    recorder.start();
    root().addAppender(recorder);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    root().detachAppender(recorder);
    recorder.stop();
    assertThat(recorder.warnings).as("blocked-thread warnings").isEmpty();
  }

  /** What the checker said while this watch was attached (for the watch's own test). */
  public List<String> warnings() {
    return recorder.warnings;
  }

  public void attach() {
    recorder.start();
    root().addAppender(recorder);
  }

  public void detach() {
    root().detachAppender(recorder);
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  private static final class Recorder extends AppenderBase<ILoggingEvent> {
    final List<String> warnings = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
      String message = event.getFormattedMessage();
      if (message != null && message.contains("has been blocked for")) {
        warnings.add(message);
      }
    }
  }
}
