package dev.taskengine.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An HTTP CONNECT proxy on loopback that resolves the requested host itself, checks every address it resolves to and
 * connects to the address it checked. The JDK's HttpClient resolves a host again when it connects, so an address checked
 * beforehand may not be the one it reaches (DNS rebinding); sent through this tunnel, it reaches only checked addresses.
 * The TLS session runs end to end through the tunnel, which only moves bytes.
 *
 * <p>It tunnels only to a host and port {@linkplain #admit admitted} for an attempt under way, so that no other local
 * process can use it as a proxy. A CONNECT is set up on a small pool of threads (reading its head, resolving, checking,
 * connecting: each bounded in time); the bytes of every established tunnel are then moved by one selector thread, so
 * that tunnels kept open by the client's connection pool hold no thread, and their number bounds nothing.
 */
final class PinnedTunnel implements AutoCloseable {
    private static final int MAX_HEAD_BYTES = 8192;
    private static final int SETUP_THREADS = 8;
    private static final int BUFFER_BYTES = 16384;

    /** An admission of a target, ended by closing it. */
    interface Admission extends AutoCloseable {
        @Override
        void close();
    }

    /** Resolves a host to its addresses, within a bounded time. */
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Function<InetAddress, Optional<String>> refusal;
    private final Resolver resolver;
    private final int connectTimeoutMillis;
    private final long idleTimeoutNanos;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final ThreadPoolExecutor setups;
    private final Thread acceptor;
    private final Thread relay;
    private final Map<String, String> refusals = new ConcurrentHashMap<>();
    private final Map<String, Integer> admitted = new ConcurrentHashMap<>();
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final Queue<Pair> established = new ConcurrentLinkedQueue<>();
    private final Set<Pair> relayed = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    PinnedTunnel(Function<InetAddress, Optional<String>> refusal, Duration connectTimeout, Duration idleTimeout)
            throws IOException {
        this(refusal, InetAddress::getAllByName, connectTimeout, idleTimeout);
    }

    /**
     * @param refusal     why an address may not be reached, empty when it may
     * @param resolver    how a host is resolved
     * @param idleTimeout how long an established tunnel may carry no byte either way before it is closed, so that a
     *                    dead peer cannot hold it forever
     */
    PinnedTunnel(
            Function<InetAddress, Optional<String>> refusal,
            Resolver resolver,
            Duration connectTimeout,
            Duration idleTimeout)
            throws IOException {
        this.refusal = refusal;
        this.resolver = resolver;
        this.connectTimeoutMillis = Math.toIntExact(connectTimeout.toMillis());
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.selector = Selector.open();
        this.server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        AtomicInteger threads = new AtomicInteger();
        this.setups = new ThreadPoolExecutor(
                SETUP_THREADS, SETUP_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "webhook-tunnel-setup-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        setups.allowCoreThreadTimeOut(true);
        this.acceptor = new Thread(this::accept, "webhook-tunnel-accept");
        acceptor.setDaemon(true);
        this.relay = new Thread(this::relay, "webhook-tunnel-relay");
        relay.setDaemon(true);
        acceptor.start();
        relay.start();
    }

    int port() {
        return server.socket().getLocalPort();
    }

    /**
     * Lets the tunnel connect to {@code host:port} until the answer is closed: for an attempt under way. Admissions of
     * the same target are counted, so one attempt ending does not end another's.
     */
    Admission admit(String host, int port) {
        String authority = authority(host, port);
        admitted.merge(authority, 1, Integer::sum);
        AtomicInteger once = new AtomicInteger();
        return () -> {
            if (once.getAndIncrement() == 0) {
                admitted.computeIfPresent(authority, (target, count) -> count == 1 ? null : count - 1);
            }
        };
    }

    /** Why the tunnel last refused {@code host:port}, once; empty when it did not. */
    Optional<String> takeRefusal(String host, int port) {
        return Optional.ofNullable(refusals.remove(authority(host, port)));
    }

    /** How many tunnels are established: for tests. */
    int established() {
        return relayed.size();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        setups.shutdownNow();
        // A thread blocked on a socket is released by closing the socket.
        open.forEach(PinnedTunnel::closeQuietly);
        selector.wakeup();
        acceptor.interrupt();
        try {
            relay.join(TimeUnit.SECONDS.toMillis(5));
            acceptor.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        open.forEach(PinnedTunnel::closeQuietly);
        closeQuietly(selector);
    }

    private void accept() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException closedOrFailed) {
                continue;
            }
            open.add(client);
            try {
                if (!((InetSocketAddress) client.getRemoteAddress())
                        .getAddress()
                        .isLoopbackAddress()) {
                    release(client);
                    continue;
                }
                setups.execute(() -> setUp(client));
            } catch (IOException | RejectedExecutionException brokenOrClosed) {
                release(client);
            }
        }
    }

    private void setUp(SocketChannel client) {
        SocketChannel upstream = null;
        try {
            client.socket().setSoTimeout(connectTimeoutMillis);
            String head = readHead(client.socket().getInputStream());
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
            if (!admitted.containsKey(authority(host, port))) {
                answer(client, "403 Forbidden");
                return;
            }
            InetAddress[] addresses;
            try {
                addresses = resolver.resolve(host);
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
            answer(client, "200 Connection Established");
            client.configureBlocking(false);
            upstream.configureBlocking(false);
            established.add(new Pair(client, upstream));
            selector.wakeup();
            if (closed) {
                release(client);
                release(upstream);
            }
        } catch (IOException | RuntimeException brokenRequestOrPeer) {
            release(client);
            release(upstream);
        }
    }

    private SocketChannel connect(InetAddress[] addresses, int port) {
        for (InetAddress address : addresses) {
            SocketChannel channel = null;
            try {
                channel = SocketChannel.open();
                open.add(channel);
                channel.socket().connect(new InetSocketAddress(address, port), connectTimeoutMillis);
                return channel;
            } catch (IOException tryTheNext) {
                release(channel);
            }
        }
        return null;
    }

    // The one thread that moves the bytes of every established tunnel. Each direction passes on its end of stream as a
    // half-close; both channels close once both directions have ended, either fails, or the tunnel stayed idle.
    private void relay() {
        long sweepEvery = Math.max(
                TimeUnit.MILLISECONDS.toNanos(100), Math.min(idleTimeoutNanos / 4, TimeUnit.SECONDS.toNanos(1)));
        long nextSweep = System.nanoTime() + sweepEvery;
        try {
            while (!closed) {
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(sweepEvery)));
                for (Pair pair; (pair = established.poll()) != null; ) {
                    pair.register();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    ((Side) key.attachment()).ready(key);
                }
                selector.selectedKeys().clear();
                long now = System.nanoTime();
                if (now - nextSweep >= 0) {
                    nextSweep = now + sweepEvery;
                    for (Pair pair : relayed) {
                        if (now - pair.lastActive >= idleTimeoutNanos) {
                            pair.close();
                        }
                    }
                }
            }
        } catch (IOException | ClosedSelectorException closing) {
            // The tunnel is closed: everything open is released by close().
        } finally {
            relayed.forEach(Pair::close);
            for (Pair pair; (pair = established.poll()) != null; ) {
                pair.close();
            }
        }
    }

    /** One established tunnel: the client's channel and the receiver's, with a buffer for each direction. */
    private final class Pair {
        final Side client;
        final Side upstream;
        long lastActive = System.nanoTime();
        int directions = 2;

        Pair(SocketChannel client, SocketChannel upstream) {
            this.client = new Side(this, client);
            this.upstream = new Side(this, upstream);
            this.client.to = this.upstream;
            this.upstream.to = this.client;
        }

        void register() {
            relayed.add(this);
            try {
                client.key = client.channel.register(selector, SelectionKey.OP_READ, client);
                upstream.key = upstream.channel.register(selector, SelectionKey.OP_READ, upstream);
            } catch (IOException | RuntimeException closed) {
                close();
            }
        }

        void close() {
            relayed.remove(this);
            release(client.channel);
            release(upstream.channel);
        }
    }

    /** One end of a tunnel, and the bytes read from it still to be written to the other end. */
    private final class Side {
        final Pair pair;
        final SocketChannel channel;
        final ByteBuffer pending = ByteBuffer.allocate(BUFFER_BYTES);
        Side to;
        SelectionKey key;
        boolean ended;

        Side(Pair pair, SocketChannel channel) {
            this.pair = pair;
            this.channel = channel;
        }

        void ready(SelectionKey ready) {
            try {
                if (ready.isValid() && ready.isReadable()) {
                    read();
                }
                if (ready.isValid() && ready.isWritable()) {
                    // This end can take more of what the other end sent.
                    to.flush();
                }
            } catch (IOException | CancelledKeyException broken) {
                pair.close();
            }
        }

        // Reads what this end sent and passes it on; stops reading while the other end cannot take it.
        private void read() throws IOException {
            int read = channel.read(pending);
            if (read < 0) {
                ended = true;
                key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
            }
            if (read != 0) {
                pair.lastActive = System.nanoTime();
            }
            flush();
        }

        // Writes what was read from this end to the other one.
        private void flush() throws IOException {
            pending.flip();
            to.channel.write(pending);
            boolean left = pending.hasRemaining();
            pending.compact();
            pair.lastActive = System.nanoTime();
            if (left) {
                to.key.interestOps(to.key.interestOps() | SelectionKey.OP_WRITE);
                key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
                return;
            }
            to.key.interestOps(to.key.interestOps() & ~SelectionKey.OP_WRITE);
            if (!ended) {
                key.interestOps(key.interestOps() | SelectionKey.OP_READ);
            } else {
                to.channel.shutdownOutput();
                if (--pair.directions == 0) {
                    pair.close();
                }
            }
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

    private void answer(SocketChannel client, String status) throws IOException {
        OutputStream out = client.socket().getOutputStream();
        out.write(("HTTP/1.1 " + status + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        if (!status.startsWith("200")) {
            release(client);
        }
    }

    private void release(SocketChannel channel) {
        if (channel != null) {
            open.remove(channel);
            closeQuietly(channel);
        }
    }

    private static String authority(String host, int port) {
        return host.toLowerCase(Locale.ROOT) + ":" + port;
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
