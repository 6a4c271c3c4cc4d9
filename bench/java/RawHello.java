import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;

/**
 * The ceiling for /hello: a raw Vert.x HttpServer, one instance per core, no router, the same response.
 * Run from bench/hello.sh: {@code java -cp target/parallax.jar bench/java/RawHello.java PORT}.
 */
public class RawHello extends VerticleBase {

  private static final Buffer HELLO = Buffer.buffer("Hello, World!\n");
  private static final CharSequence TEXT = HttpHeaders.createOptimized("text/plain; charset=utf-8");
  private static int port;

  @Override
  public Future<?> start() {
    return vertx.createHttpServer()
        .requestHandler(request -> request.response().putHeader(HttpHeaders.CONTENT_TYPE, TEXT).end(HELLO.copy()))
        .listen(port, "127.0.0.1");
  }

  public static void main(String[] args) {
    port = Integer.parseInt(args[0]);
    // The same transport as Parallax: epoll where the native library loads.
    Vertx.vertx(new VertxOptions().setPreferNativeTransport(true)).deployVerticle(RawHello::new,
        new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors()))
        .onSuccess(id -> System.out.println("raw hello on " + port));
  }
}
