package dev.oidcgate.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LoopbackJettyTest {

  private final HttpClient client = HttpClient.newHttpClient();

  @Test
  void servesTheServletOnLoopbackUntilClosed() throws Exception {
    LoopbackJetty jetty = LoopbackJetty.serve(new Hello());
    try (jetty) {
      assertThat(jetty.url().toString()).isEqualTo("http://127.0.0.1:" + jetty.port());
      assertThat(get(jetty, "/hi").body()).isEqualTo("hello /hi");
    }
    assertThat(jetty.isRunning()).isFalse();
    assertThatThrownBy(() -> get(jetty, "/hi")).isInstanceOf(ConnectException.class);
  }

  @Test
  void refusesConnectionsWhileDownAndAnswersOnTheSamePortAgain() throws Exception {
    try (LoopbackJetty jetty = LoopbackJetty.serve(new Hello())) {
      jetty.stopListening();
      assertThatThrownBy(() -> get(jetty, "/")).isInstanceOf(ConnectException.class);
      jetty.listenAgain();
      assertThat(get(jetty, "/again").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void theConnectionsDroppedWhileDownAreCountedOutOfTheOpenOnes() throws Exception {
    try (LoopbackJetty jetty = LoopbackJetty.serve(new Hello());
        Socket socket = new Socket("127.0.0.1", jetty.port())) {
      awaitOpen(jetty, 1);
      jetty.stopListening();
      awaitOpen(jetty, 0);
      jetty.listenAgain();
      assertThat(get(jetty, "/again").statusCode()).isEqualTo(200);
      assertThat(socket.getInputStream().read()).as("dropped by the server").isEqualTo(-1);
    }
  }

  private static void awaitOpen(LoopbackJetty jetty, long expected) throws InterruptedException {
    for (int i = 0; i < 200 && jetty.openConnections() != expected; i++) {
      Thread.sleep(25);
    }
    assertThat(jetty.openConnections()).isEqualTo(expected);
  }

  private HttpResponse<String> get(LoopbackJetty jetty, String path)
      throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(jetty.url(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static final class Hello extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.getWriter().write("hello " + req.getRequestURI());
    }
  }
}
