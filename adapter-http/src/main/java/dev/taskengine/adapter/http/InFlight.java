package dev.taskengine.adapter.http;

import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Counts the requests in flight, from their headers' arrival to their answer's end, for a stop to wait for them. Once
 * {@link #drain() draining}, a request on a connection accepted before the stop is still served (it is in flight, not
 * new), but its answer closes the connection, so that no connection is kept for another request.
 */
final class InFlight extends Handler.Wrapper {
    private final AtomicInteger active = new AtomicInteger();
    private final Object idle = new Object();
    private volatile boolean draining;

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        active.incrementAndGet();
        if (draining) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        Callback counted = new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                done();
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                done();
                super.failed(x);
            }
        };
        boolean handled;
        try {
            handled = super.handle(request, response, counted);
        } catch (Throwable t) {
            done();
            throw t;
        }
        if (!handled) {
            done();
        }
        return handled;
    }

    private void done() {
        if (active.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    void drain() {
        draining = true;
    }

    /** Waits until no request is in flight or {@code deadline} (a {@link System#nanoTime()}) passes; whether none is. */
    boolean awaitIdle(long deadline) throws InterruptedException {
        synchronized (idle) {
            while (active.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }
}
