package io.edgeai4j.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A small IoT Edge workload API on a unix-domain socket, enough for the SDK: {@code POST
 * /modules/{module}/genid/{genid}/sign} answers {@code {"digest": base64(HMAC-SHA256(key, data))}} and
 * {@code GET /trust-bundle} answers {@code {"certificate": <PEM>}}, one request per connection, like the
 * edgelet's. A silent server reads requests and never answers. Thread-safe.
 */
public final class WorkloadApiServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A request as received. */
  public record Request(String method, String target, Map<String, String> headers, String body) {}

  /** A signing the server did: the data it was given (decoded) and the digest it returned. */
  public record Signing(String module, String generationId, String data, String digest) {}

  public final List<Request> requests = new CopyOnWriteArrayList<>();
  public final List<Signing> signings = new CopyOnWriteArrayList<>();

  private final Path socket;
  private final byte[] key;
  private final String trustBundle;
  private final boolean silent;
  private final List<SocketChannel> held = new CopyOnWriteArrayList<>();
  private ServerSocketChannel server;
  private Thread acceptor;

  private WorkloadApiServer(Path socket, byte[] key, String trustBundle, boolean silent) {
    this.socket = socket;
    this.key = key.clone();
    this.trustBundle = trustBundle;
    this.silent = silent;
  }

  /** Starts a server that signs with the key and serves the trust bundle. */
  public static WorkloadApiServer start(Path socket, byte[] key, String trustBundle) throws IOException {
    return new WorkloadApiServer(socket, key, trustBundle, false).listen();
  }

  /** Starts a server that accepts connections and reads requests but never answers. */
  static WorkloadApiServer startSilent(Path socket) throws IOException {
    return new WorkloadApiServer(socket, new byte[1], "", true).listen();
  }

  /** Returns base64(HMAC-SHA256(key, data)), what the edgelet's sign answers. */
  static String hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private WorkloadApiServer listen() throws IOException {
    Files.createDirectories(socket.getParent());
    Files.deleteIfExists(socket);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    acceptor = new Thread(this::acceptLoop, "workload-api-" + socket.getFileName());
    acceptor.setDaemon(true);
    acceptor.start();
    return this;
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      SocketChannel connection;
      try {
        connection = server.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (!server.isOpen()) {
          return;
        }
        throw new IllegalStateException("Workload API server failed to accept", e);
      }
      try {
        serve(connection);
      } catch (IOException e) {
        closeQuietly(connection);
      }
    }
  }

  private void serve(SocketChannel connection) throws IOException {
    InputStream in = Channels.newInputStream(connection);
    Request request = readRequest(in);
    requests.add(request);
    if (silent) {
      held.add(connection);
      return;
    }
    String path = request.target().split("\\?", 2)[0];
    String[] segments = path.split("/");
    String status;
    String body;
    if (request.method().equals("POST") && segments.length == 6 && segments[1].equals("modules")
        && segments[3].equals("genid") && segments[5].equals("sign")) {
      JsonNode sign = JSON.readTree(request.body());
      byte[] data = Base64.getDecoder().decode(sign.path("data").asText());
      String digest = hmac(key, data);
      signings.add(new Signing(segments[2], segments[4], new String(data, StandardCharsets.UTF_8), digest));
      status = "200 OK";
      body = JSON.createObjectNode().put("digest", digest).toString();
    } else if (request.method().equals("GET") && path.equals("/trust-bundle")) {
      status = "200 OK";
      body = JSON.createObjectNode().put("certificate", trustBundle).toString();
    } else {
      // One word only: the SDK's parser wants exactly three parts in the status line.
      status = "404 NotFound";
      body = JSON.createObjectNode().put("message", "no route for " + request.method() + " " + path).toString();
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
        + "\r\nConnection: close\r\n\r\n";
    OutputStream out = Channels.newOutputStream(connection);
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.flush();
    connection.close();
  }

  private static Request readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] terminator = {'\r', '\n', '\r', '\n'};
    while (matched < terminator.length) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("Connection closed inside the request head");
      }
      head.write(b);
      matched = b == terminator[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
    String[] requestLine = lines[0].split(" ");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new Request(requestLine[0], requestLine[1], headers, new String(body, StandardCharsets.UTF_8));
  }

  @Override
  public void close() throws Exception {
    server.close();
    for (SocketChannel connection : held) {
      closeQuietly(connection);
    }
    acceptor.join(5000);
    Files.deleteIfExists(socket);
  }

  private static void closeQuietly(SocketChannel connection) {
    try {
      connection.close();
    } catch (IOException e) {
      // Closing anyway.
    }
  }
}
