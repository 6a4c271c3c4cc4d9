package io.parallax.cli;

import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** The command line's side of the TCP event-bus bridge: blocking frames over one socket. */
final class BridgeClient implements AutoCloseable {

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;
  private final String token;
  private int nextReply;

  BridgeClient(String host, int port, String token, int readTimeoutMillis) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), 10_000);
    socket.setSoTimeout(readTimeoutMillis);
    in = new DataInputStream(socket.getInputStream());
    out = new DataOutputStream(socket.getOutputStream());
    this.token = token;
  }

  /** Sends a request and answers the frame that replies to it. */
  JsonObject request(String address, Object body, long timeoutMillis) throws IOException {
    String replyAddress = "cli-" + (++nextReply);
    write(new JsonObject().put("type", "send").put("address", address).put("replyAddress", replyAddress)
        .put("body", body).put("headers", headers().put("timeout", timeoutMillis)));
    while (true) {
      JsonObject frame = read();
      if (replyAddress.equals(frame.getString("address")) || frame.getString("failureType") == null
          && "err".equals(frame.getString("type"))) {
        return frame;
      }
    }
  }

  /** Publishes, then pings: the answer to the ping tells whether the publish was accepted. */
  JsonObject publish(String address, Object body) throws IOException {
    write(new JsonObject().put("type", "publish").put("address", address).put("body", body).put("headers", headers()));
    write(new JsonObject().put("type", "ping"));
    return read();
  }

  void register(String address) throws IOException {
    write(new JsonObject().put("type", "register").put("address", address).put("headers", headers()));
  }

  JsonObject read() throws IOException {
    int length = in.readInt();
    byte[] body = new byte[length];
    in.readFully(body);
    return new JsonObject(new String(body, StandardCharsets.UTF_8));
  }

  private JsonObject headers() {
    JsonObject headers = new JsonObject();
    if (token != null && !token.isEmpty()) {
      headers.put("auth", token);
    }
    return headers;
  }

  private void write(JsonObject frame) throws IOException {
    byte[] body = frame.encode().getBytes(StandardCharsets.UTF_8);
    out.writeInt(body.length);
    out.write(body);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
