package dev.taskengine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PinnedTunnelTest {
    private final PinnedTunnel tunnel = new PinnedTunnel(
            address -> WebhookTargets.addressRefusal(address, true, false),
            Duration.ofSeconds(5),
            Duration.ofSeconds(30));

    PinnedTunnelTest() throws IOException {}

    @AfterEach
    void close() {
        tunnel.close();
    }

    @Test
    void aConnectToARefusedAddressIsForbiddenBeforeAnyConnection() throws IOException {
        // 169.254.169.254 is never reachable from here: only a refusal made before connecting answers at once with 403.
        assertThat(connect("169.254.169.254:443")).isEqualTo("HTTP/1.1 403 Forbidden");
    }

    @Test
    void aRefusalIsKeptForTheTransportToName() throws IOException {
        connect("169.254.169.254:443");

        assertThat(tunnel.takeRefusal("169.254.169.254", 443))
                .contains("169.254.169.254 is a link-local address (cloud metadata)");
    }

    @Test
    void aRefusalIsNamedOnce() throws IOException {
        connect("10.0.0.1:443");
        tunnel.takeRefusal("10.0.0.1", 443);

        assertThat(tunnel.takeRefusal("10.0.0.1", 443)).isEmpty();
    }

    @Test
    void aRequestOtherThanConnectIsNotAllowed() throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), tunnel.port())) {
            socket.getOutputStream()
                    .write("GET http://example.com/ HTTP/1.1\r\nHost: example.com\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(statusLine(socket.getInputStream())).isEqualTo("HTTP/1.1 405 Method Not Allowed");
        }
    }

    @Test
    void aConnectToAnAllowedAddressPipesBytesBothWaysAndPassesOnTheEndOfEachDirection() throws IOException {
        try (ServerSocket echo = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), tunnel.port())) {
            Thread server = new Thread(() -> {
                try (Socket accepted = echo.accept()) {
                    byte[] request = accepted.getInputStream().readAllBytes();
                    accepted.getOutputStream()
                            .write(("echo " + new String(request, StandardCharsets.UTF_8))
                                    .getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            server.start();
            OutputStream out = socket.getOutputStream();
            out.write(("CONNECT 127.0.0.1:" + echo.getLocalPort() + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            assertThat(statusLine(in)).isEqualTo("HTTP/1.1 200 Connection Established");
            out.write("hello".getBytes(StandardCharsets.UTF_8));
            // The echo server answers only once it has read to the end: the half-close must pass through.
            socket.shutdownOutput();

            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("echo hello");
        }
    }

    @Test
    void closingTheTunnelEndsTheTunnelsItHasOpen() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), tunnel.port())) {
            socket.getOutputStream()
                    .write(("CONNECT 127.0.0.1:" + silent.getLocalPort() + " HTTP/1.1\r\nHost: x\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            assertThat(statusLine(in)).isEqualTo("HTTP/1.1 200 Connection Established");

            tunnel.close();

            assertThat(in.read()).isEqualTo(-1);
        }
    }

    private String connect(String authority) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), tunnel.port())) {
            socket.getOutputStream()
                    .write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            return statusLine(socket.getInputStream());
        }
    }

    // Reads the answer's head and returns its first line.
    private static String statusLine(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.substring(0, Math.max(0, head.indexOf("\r\n")));
    }
}
