package dev.taskengine.adapter.http;

import static dev.taskengine.adapter.http.MemoryApi.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.adapter.memory.InMemoryTaskStore;
import dev.taskengine.spi.Delivery;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A stop drains the requests in flight, even one whose body is still arriving when the stop begins. */
class DrainTest {

    @Test
    void aBodyStillArrivingWhenTheStopBeginsIsReadAndAnswered() throws Exception {
        CountDownLatch dispatched = new CountDownLatch(1);
        ApiKeys keys = ApiKeys.parse(List.of(KEY + "=mem:7"));
        HttpApi api = HttpApi.builder(MemoryApi.engine(new InMemoryTaskStore(), message -> Delivery.delivered("x")))
                .authenticator(credentials -> {
                    dispatched.countDown(); // the headers are in, the request is in flight, its body not yet read
                    return keys.authenticate(credentials);
                })
                .build()
                .start("127.0.0.1", 0);
        int port = api.port();
        byte[] body = ReplyApiTest.EMAIL_TO_ADA.getBytes(StandardCharsets.UTF_8);
        int half = body.length / 2;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v3/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + KEY
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                            + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, half);
            out.flush();
            assertThat(dispatched.await(10, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Void> stop = CompletableFuture.runAsync(api::stop);
            assertThat(refusesConnections(port))
                    .as("the stop began: new connections are refused")
                    .isTrue();
            // Idle for longer than Jetty's shutdown idle timeout (1 s), which used to cut the request with a 408.
            Thread.sleep(1_500);
            assertThat(stop).isNotDone();
            out.write(body, half, body.length - half);
            out.flush();

            String answer = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 201").contains("\"taskType\"");
            stop.get(20, TimeUnit.SECONDS);
        } finally {
            api.stop();
        }
    }

    static boolean refusesConnections(int port) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            } catch (ConnectException refused) {
                return true;
            } catch (IOException other) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }
}
