import com.hazelcast.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Event-bus request-reply throughput within one Vert.x instance and between two clustered ones (Hazelcast on
 * loopback, one JVM), and how long the second node takes to join. Run from bench/cluster.sh:
 * {@code java -cp target/parallax.jar bench/java/EventBusBench.java [seconds]}. Prints "key value" lines.
 */
public class EventBusBench {

  private static final int IN_FLIGHT = 256;
  private static final JsonObject PAYLOAD = new JsonObject().put("task", "echo").put("n", 42);

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Vertx local = Vertx.vertx();
    local.eventBus().consumer("bench.echo", message -> message.reply(message.body()));
    measure(local, seconds); // warm-up
    System.out.printf("local_msgs_per_s %.0f%n", measure(local, seconds));
    await(local.close());

    String cluster = "bench-" + UUID.randomUUID();
    Vertx server = await(clustered(cluster, 15901));
    server.eventBus().consumer("bench.echo", message -> message.reply(message.body()));
    long joinStart = System.nanoTime();
    Vertx client = await(clustered(cluster, 15902));
    System.out.printf("join_ms %d%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - joinStart));
    measure(client, seconds); // warm-up
    System.out.printf("remote_msgs_per_s %.0f%n", measure(client, seconds));
    await(client.close());
    await(server.close());
  }

  private static Future<Vertx> clustered(String name, int port) {
    Config config = new Config().setClusterName(name);
    config.setProperty("hazelcast.logging.type", "none");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
    config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true)
        .setMembers(List.of("127.0.0.1:15901", "127.0.0.1:15902"));
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    config.getMultiMapConfig("__vertx.subs").setBackupCount(1)
        .setValueCollectionType(com.hazelcast.config.MultiMapConfig.ValueCollectionType.SET);
    return Vertx.builder()
        .with(new io.vertx.core.VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1")))
        .withClusterManager(new HazelcastClusterManager(config)).buildClustered();
  }

  /** Keeps IN_FLIGHT requests going for the given time; answers replies per second. */
  private static double measure(Vertx vertx, int seconds) throws Exception {
    AtomicLong replies = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Promise<Void> done = Promise.promise();
    AtomicLong outstanding = new AtomicLong(IN_FLIGHT);
    vertx.runOnContext(start -> {
      for (int i = 0; i < IN_FLIGHT; i++) {
        loop(vertx, replies, end, outstanding, done);
      }
    });
    long began = System.nanoTime();
    await(done.future());
    return replies.get() / ((System.nanoTime() - began) / 1e9);
  }

  private static void loop(Vertx vertx, AtomicLong replies, long end, AtomicLong outstanding, Promise<Void> done) {
    if (System.nanoTime() > end) {
      if (outstanding.decrementAndGet() == 0) {
        done.complete();
      }
      return;
    }
    vertx.eventBus().request("bench.echo", PAYLOAD, new DeliveryOptions().setSendTimeout(10_000))
        .onComplete(reply -> {
          replies.incrementAndGet();
          loop(vertx, replies, end, outstanding, done);
        });
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
