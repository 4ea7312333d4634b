package dev.taskengine.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An HTTP CONNECT proxy on loopback that resolves the requested host itself, checks every address it resolves to and
 * connects to the address it checked. The JDK's HttpClient resolves a host again when it connects, so an address checked
 * beforehand may not be the one it reaches (DNS rebinding); sent through this tunnel, it reaches only checked addresses.
 * The TLS session runs end to end through the tunnel, which only moves bytes.
 */
final class PinnedTunnel implements AutoCloseable {
    private static final int MAX_HEAD_BYTES = 8192;
    // Two threads per open tunnel, one for each direction.
    private static final int MAX_PIPE_THREADS = 64;

    private final Function<InetAddress, Optional<String>> refusal;
    private final int connectTimeoutMillis;
    private final int idleTimeoutMillis;
    private final ServerSocket server;
    private final ExecutorService pipes;
    private final Thread acceptor;
    private final Map<String, String> refusals = new ConcurrentHashMap<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    /**
     * @param refusal     why an address may not be reached, empty when it may
     * @param idleTimeout how long either side may stay silent before the tunnel is closed, so that a dead peer cannot
     *                    hold a thread
     */
    PinnedTunnel(Function<InetAddress, Optional<String>> refusal, Duration connectTimeout, Duration idleTimeout)
            throws IOException {
        this.refusal = refusal;
        this.connectTimeoutMillis = Math.toIntExact(connectTimeout.toMillis());
        this.idleTimeoutMillis = Math.toIntExact(idleTimeout.toMillis());
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        AtomicInteger threads = new AtomicInteger();
        this.pipes =
                new ThreadPoolExecutor(0, MAX_PIPE_THREADS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
                    Thread thread = new Thread(task, "webhook-tunnel-pipe-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.acceptor = new Thread(this::accept, "webhook-tunnel-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Why the tunnel last refused {@code host:port}, once; empty when it did not. */
    Optional<String> takeRefusal(String host, int port) {
        return Optional.ofNullable(refusals.remove(authority(host, port)));
    }

    @Override
    public void close() {
        closeQuietly(server);
        // A thread blocked reading a socket ignores interrupts: closing the socket is what releases it.
        open.forEach(PinnedTunnel::closeQuietly);
        pipes.shutdownNow();
        acceptor.interrupt();
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException closedOrFailed) {
                continue;
            }
            if (!client.getInetAddress().isLoopbackAddress()) {
                closeQuietly(client);
                continue;
            }
            open.add(client);
            try {
                pipes.execute(() -> serve(client));
            } catch (RejectedExecutionException busyOrClosed) {
                release(client);
            }
        }
    }

    private void serve(Socket client) {
        Socket upstream = null;
        try {
            client.setSoTimeout(idleTimeoutMillis);
            String head = readHead(client.getInputStream());
            String[] requestLine = head.substring(0, head.indexOf("\r\n")).split(" ");
            if (requestLine.length != 3 || !requestLine[0].equals("CONNECT")) {
                answer(client, "405 Method Not Allowed");
                return;
            }
            String target = requestLine[1];
            int colon = target.lastIndexOf(':');
            if (colon < 1) {
                answer(client, "400 Bad Request");
                return;
            }
            String host = target.substring(0, colon).replaceFirst("^\\[(.*)]$", "$1");
            int port = Integer.parseInt(target.substring(colon + 1));
            InetAddress[] addresses;
            try {
                addresses = InetAddress.getAllByName(host);
            } catch (UnknownHostException e) {
                answer(client, "502 Bad Gateway");
                return;
            }
            for (InetAddress address : addresses) {
                Optional<String> refused = refusal.apply(address);
                if (refused.isPresent()) {
                    refusals.put(authority(host, port), refused.get());
                    answer(client, "403 Forbidden");
                    return;
                }
            }
            upstream = connect(addresses, port);
            if (upstream == null) {
                answer(client, "502 Bad Gateway");
                return;
            }
            upstream.setSoTimeout(idleTimeoutMillis);
            answer(client, "200 Connection Established");
            pipe(client, upstream);
        } catch (IOException | RuntimeException brokenRequestOrPeer) {
            release(client);
            release(upstream);
        }
    }

    private Socket connect(InetAddress[] addresses, int port) {
        for (InetAddress address : addresses) {
            Socket socket = new Socket();
            open.add(socket);
            try {
                socket.connect(new InetSocketAddress(address, port), connectTimeoutMillis);
                return socket;
            } catch (IOException tryTheNext) {
                release(socket);
            }
        }
        return null;
    }

    // The client's bytes go up on this thread, the server's come down on another; each direction passes on its end of
    // stream as a half-close, and both sockets close once both directions have ended or either fails.
    private void pipe(Socket client, Socket upstream) {
        AtomicInteger directions = new AtomicInteger(2);
        Runnable down = () -> copy(upstream, client, directions);
        try {
            pipes.execute(down);
        } catch (RejectedExecutionException busyOrClosed) {
            release(client);
            release(upstream);
            return;
        }
        copy(client, upstream, directions);
    }

    private void copy(Socket from, Socket to, AtomicInteger directions) {
        byte[] buffer = new byte[16384];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int read; (read = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, read);
            }
            to.shutdownOutput();
            if (directions.decrementAndGet() == 0) {
                release(from);
                release(to);
            }
        } catch (IOException idleOrBroken) {
            release(from);
            release(to);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        // Byte by byte: whatever follows the head belongs to the tunnel, and the client sends nothing before the
        // answer.
        StringBuilder head = new StringBuilder();
        while (head.length() < MAX_HEAD_BYTES) {
            int b = in.read();
            if (b < 0) {
                throw new SocketException("the client closed before the end of its request");
            }
            head.append((char) b);
            if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
                return head.toString();
            }
        }
        throw new SocketException("request head longer than " + MAX_HEAD_BYTES + " bytes");
    }

    private void answer(Socket client, String status) throws IOException {
        OutputStream out = client.getOutputStream();
        out.write(("HTTP/1.1 " + status + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        if (!status.startsWith("200")) {
            release(client);
        }
    }

    private void release(Socket socket) {
        if (socket != null) {
            open.remove(socket);
            closeQuietly(socket);
        }
    }

    private static String authority(String host, int port) {
        return host + ":" + port;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception alreadyBroken) {
            // Nothing more to release.
        }
    }
}
