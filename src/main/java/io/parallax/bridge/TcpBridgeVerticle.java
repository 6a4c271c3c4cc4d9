package io.parallax.bridge;

import io.parallax.config.ParallaxConfig.BridgeSettings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.core.streams.WriteStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP event-bus bridge, for clients in any language. Frames are the standard Vert.x bridge frames: a
 * 4-byte big-endian length, then that many bytes of UTF-8 JSON {@code {type, address, replyAddress?,
 * headers?, body}}; clients send {@code send}, {@code publish}, {@code register}, {@code unregister},
 * {@code ping}; the bridge answers {@code message}, {@code err}, {@code pong}.
 *
 * <p>Written here rather than taken from vertx-tcp-eventbus-bridge because that parser buffers whatever
 * length a frame announces: a frame over {@code bridge.maxFrameBytes}, or one that is not a JSON object of the
 * right shape, gets an {@code err} frame and the connection is closed. What a frame does, and what it may do,
 * is the {@link BridgeConversation}'s, as on the SockJS bridge.
 */
public final class TcpBridgeVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(TcpBridgeVerticle.class);

  private final BridgeSettings settings;
  private final BridgePolicy policy;
  private NetServer server;
  private int connections;
  private volatile int actualPort;

  public TcpBridgeVerticle(BridgeSettings settings, BridgePolicy policy) {
    this.settings = settings;
    this.policy = policy;
  }

  @Override
  public Future<?> start() {
    server = vertx.createNetServer(new NetServerOptions().setHost(settings.host()).setPort(settings.port()));
    return server.connectHandler(this::connected).listen().onSuccess(listening -> {
      actualPort = listening.actualPort();
      LOG.info("TCP event-bus bridge on {}:{}", settings.host(), actualPort);
    });
  }

  @Override
  public Future<?> stop() {
    return server.close();
  }

  public int actualPort() {
    return actualPort;
  }

  private void connected(NetSocket socket) {
    if (connections >= settings.maxConnections()) {
      socket.write(frame(BridgeConversation.Dialect.TCP.error("too_many_connections", null)))
          .onComplete(written -> socket.close());
      return;
    }
    connections++;
    Connection connection = new Connection(socket);
    socket.closeHandler(closed -> {
      connections--;
      connection.conversation.close();
    });
    socket.exceptionHandler(failure -> socket.close());
  }

  static Buffer frame(JsonObject json) {
    Buffer body = json.toBuffer();
    return Buffer.buffer(4 + body.length()).appendInt(body.length()).appendBuffer(body);
  }

  /** One client's connection: the length-prefixed framing around its {@link BridgeConversation}. */
  private final class Connection extends BridgeConversation.Channel {
    private final NetSocket socket;
    private final RecordParser parser = RecordParser.newFixed(4);
    private final BridgeConversation conversation;
    private boolean expectingLength = true;

    Connection(NetSocket socket) {
      this.socket = socket;
      this.conversation = new BridgeConversation(vertx, settings, policy, BridgeConversation.Dialect.TCP, this, false);
      parser.handler(this::record);
      socket.handler(parser);
    }

    private void record(Buffer record) {
      if (isClosed()) {
        return;
      }
      if (expectingLength) {
        int length = record.getInt(0);
        if (length <= 0 || length > settings.maxFrameBytes()) {
          conversation.invalid("invalid_frame_length: frames are 1 to " + settings.maxFrameBytes() + " bytes");
          return;
        }
        expectingLength = false;
        parser.fixedSizeMode(length);
      } else {
        expectingLength = true;
        parser.fixedSizeMode(4);
        decode(record);
      }
    }

    private void decode(Buffer bytes) {
      JsonObject frame;
      try {
        String text = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes.getBytes())).toString();
        frame = new JsonObject(text);
      } catch (CharacterCodingException notUtf8) {
        conversation.invalid("invalid_frame: not UTF-8");
        return;
      } catch (RuntimeException notAnObject) {
        conversation.invalid("invalid_frame: not a JSON object");
        return;
      }
      conversation.handle(frame);
    }

    @Override
    protected WriteStream<Buffer> stream() {
      return socket;
    }

    @Override
    protected Buffer encode(JsonObject frame) {
      return frame(frame);
    }

    @Override
    protected void closeConnection() {
      socket.close();
    }
  }
}
