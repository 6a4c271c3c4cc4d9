package io.parallax;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Verticles deployed on one event loop")
class OneEventLoopTest {

  /** Records on which thread it starts and handles its messages, and when it starts and stops. */
  private static final class Recorder extends VerticleBase {
    private final String name;
    private final List<String> lifecycle;
    private volatile Thread startThread;
    private volatile Thread messageThread;

    Recorder(String name, List<String> lifecycle) {
      this.name = name;
      this.lifecycle = lifecycle;
    }

    @Override
    public Future<?> start() {
      startThread = Thread.currentThread();
      lifecycle.add("start " + name);
      return vertx.eventBus().<String>consumer("one-event-loop." + name, message -> {
        messageThread = Thread.currentThread();
        message.reply(name);
      }).completion();
    }

    @Override
    public Future<?> stop() {
      lifecycle.add("stop " + name);
      return Future.succeededFuture();
    }
  }

  @Test
  @DisplayName("run on the same thread, start in order and stop in reverse")
  void shareOneThread() throws Exception {
    // Many event loops, so that two separate deployments would almost surely land on different ones.
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(8));
    try {
      List<String> lifecycle = new CopyOnWriteArrayList<>();
      Recorder first = new Recorder("first", lifecycle);
      Recorder second = new Recorder("second", lifecycle);
      String id = await(vertx.deployVerticle(new OneEventLoop(first, second)));
      assertThat(await(vertx.eventBus().<String>request("one-event-loop.first", "hi")).body()).isEqualTo("first");
      assertThat(await(vertx.eventBus().<String>request("one-event-loop.second", "hi")).body()).isEqualTo("second");

      assertThat(first.startThread.getName()).startsWith("vert.x-eventloop-thread");
      assertThat(second.startThread).isSameAs(first.startThread);
      assertThat(first.messageThread).isSameAs(first.startThread);
      assertThat(second.messageThread).isSameAs(first.startThread);

      await(vertx.undeploy(id));
      assertThat(lifecycle).containsExactly("start first", "start second", "stop second", "stop first");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
