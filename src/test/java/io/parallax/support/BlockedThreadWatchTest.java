package io.parallax.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The blocked-thread watch used by the HTTP tests")
class BlockedThreadWatchTest {

  @Test
  @DisplayName("hears Vert.x's blocked-thread checker when an event loop is blocked")
  void hearsTheChecker() throws Exception {
    BlockedThreadWatch watch = new BlockedThreadWatch();
    watch.attach();
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setBlockedThreadCheckInterval(20).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setMaxEventLoopExecuteTime(50).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    try {
      vertx.runOnContext(nothing -> {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (watch.warnings().isEmpty() && System.nanoTime() < until) {
          Thread.onSpinWait(); // deliberately block the event loop until the checker reports it
        }
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (watch.warnings().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(watch.warnings()).isNotEmpty();
      assertThat(watch.warnings().get(0)).contains("vert.x-eventloop-thread");
    } finally {
      watch.detach();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
