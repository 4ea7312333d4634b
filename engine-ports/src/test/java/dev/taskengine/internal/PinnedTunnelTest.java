package dev.taskengine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        tunnel.admit("169.254.169.254", 443);
        assertThat(connect("169.254.169.254:443")).isEqualTo("HTTP/1.1 403 Forbidden");
    }

    @Test
    void aRefusalIsKeptForTheTransportToName() throws IOException {
        tunnel.admit("169.254.169.254", 443);
        connect("169.254.169.254:443");

        assertThat(tunnel.takeRefusal("169.254.169.254", 443))
                .contains("169.254.169.254 is a link-local address (cloud metadata)");
    }

    @Test
    void aRefusalIsNamedOnce() throws IOException {
        tunnel.admit("10.0.0.1", 443);
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
            tunnel.admit("127.0.0.1", echo.getLocalPort());
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
            tunnel.admit("127.0.0.1", silent.getLocalPort());
            socket.getOutputStream()
                    .write(("CONNECT 127.0.0.1:" + silent.getLocalPort() + " HTTP/1.1\r\nHost: x\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            assertThat(statusLine(in)).isEqualTo("HTTP/1.1 200 Connection Established");

            tunnel.close();

            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void aConnectToATargetNoAttemptAdmittedIsForbidden() throws IOException {
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // Any local process can reach the tunnel's port: it is no proxy to what the engine does not deliver to.
            assertThat(connect("127.0.0.1:" + listening.getLocalPort())).isEqualTo("HTTP/1.1 403 Forbidden");
        }
    }

    @Test
    void aTargetIsForbiddenAgainOnceItsLastAdmissionEnded() throws IOException {
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PinnedTunnel.Admission first = tunnel.admit("127.0.0.1", listening.getLocalPort());
            PinnedTunnel.Admission second = tunnel.admit("127.0.0.1", listening.getLocalPort());
            first.close();
            first.close();
            assertThat(connect("127.0.0.1:" + listening.getLocalPort()))
                    .isEqualTo("HTTP/1.1 200 Connection Established");

            second.close();

            assertThat(connect("127.0.0.1:" + listening.getLocalPort())).isEqualTo("HTTP/1.1 403 Forbidden");
        }
    }

    @Test
    void afterClosingThePortNoLongerAccepts() {
        int port = tunnel.port();

        tunnel.close();

        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void manyTunnelsStayOpenAtOnceAndEachCarriesItsBytes() throws Exception {
        // Far more than the 32 tunnels of a thread per direction: established tunnels hold no thread.
        int tunnels = 150;
        try (ServerSocket echo = new ServerSocket(0, tunnels, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                for (int i = 0; i < tunnels; i++) {
                    try {
                        Socket accepted = echo.accept();
                        Thread each = new Thread(() -> {
                            try (accepted) {
                                byte[] request = accepted.getInputStream().readAllBytes();
                                accepted.getOutputStream().write(request);
                            } catch (IOException e) {
                                // The test fails on its side.
                            }
                        });
                        each.setDaemon(true);
                        each.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            server.setDaemon(true);
            server.start();
            tunnel.admit("127.0.0.1", echo.getLocalPort());
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < tunnels; i++) {
                    Socket socket = new Socket(InetAddress.getLoopbackAddress(), tunnel.port());
                    sockets.add(socket);
                    socket.getOutputStream()
                            .write(("CONNECT 127.0.0.1:" + echo.getLocalPort() + " HTTP/1.1\r\nHost: x\r\n\r\n")
                                    .getBytes(StandardCharsets.ISO_8859_1));
                    assertThat(statusLine(socket.getInputStream())).isEqualTo("HTTP/1.1 200 Connection Established");
                }
                byte[] big = new byte[200_000];
                for (int i = 0; i < tunnels; i++) {
                    Socket socket = sockets.get(i);
                    big[0] = (byte) i;
                    byte[] sent = big.clone();
                    Thread writer = new Thread(() -> {
                        try {
                            socket.getOutputStream().write(sent);
                            socket.shutdownOutput();
                        } catch (IOException e) {
                            // The read below fails.
                        }
                    });
                    writer.start();
                    assertThat(socket.getInputStream().readAllBytes()).isEqualTo(sent);
                    writer.join();
                }
            } finally {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void aTunnelIdleForItsTimeoutIsClosed() throws IOException {
        try (PinnedTunnel quick = new PinnedTunnel(
                        address -> WebhookTargets.addressRefusal(address, true, false),
                        Duration.ofSeconds(5),
                        Duration.ofMillis(300));
                ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), quick.port())) {
            quick.admit("127.0.0.1", silent.getLocalPort());
            socket.getOutputStream()
                    .write(("CONNECT 127.0.0.1:" + silent.getLocalPort() + " HTTP/1.1\r\nHost: x\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            assertThat(statusLine(in)).isEqualTo("HTTP/1.1 200 Connection Established");

            assertThat(in.read()).isEqualTo(-1);
            assertThat(quick.established()).isZero();
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
