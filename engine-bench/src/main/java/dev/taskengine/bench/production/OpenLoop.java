package dev.taskengine.bench.production;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Requests at a fixed rate, each from its intended start: request {@code i} is due at {@code start + i / perSecond}, and
 * caller {@code k} of {@code connections} takes requests {@code k}, {@code k + connections}, … . A caller behind its
 * schedule sends at once, and every latency is taken from the intended start, not from the send: a stall of the server
 * counts against every request it held up, as a steady stream of users would see it (coordinated omission corrected, as
 * wrk2 does). A failed request counts as an error and with its latency.
 */
record OpenLoop(int connections, double perSecond) {
    /** Request {@code index} of the run. */
    interface Call {
        void call(long index) throws Exception;
    }

    /** Where the latency of each request goes, in microseconds. */
    interface Latencies {
        void record(long index, long micros);
    }

    /** A run under way. */
    record Running(List<Thread> callers) {
        /** Waits for the callers to finish the requests they sent; fails naming those still in a request. */
        void join(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (Thread caller : callers) {
                caller.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            List<String> stuck = callers.stream()
                    .filter(Thread::isAlive)
                    .map(Thread::getName)
                    .toList();
            if (!stuck.isEmpty()) {
                interrupt();
                throw new IllegalStateException("callers still in a request after " + timeout + ": " + stuck);
            }
        }

        /** Stops the callers: each ends its request under way (interrupted) and sends no other. */
        void interrupt() {
            callers.forEach(Thread::interrupt);
        }
    }

    /** Starts the callers: requests due from {@code start} until before {@code end} ({@link System#nanoTime()}). */
    Running start(long start, long end, IntFunction<Call> callers, Latencies latencies, ErrorCounts errors) {
        double period = 1e9 / perSecond;
        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < connections; k++) {
            int first = k;
            Call call = callers.apply(k);
            Thread thread = new Thread(
                    () -> {
                        for (long index = first; ; index += connections) {
                            long intended = start + (long) (index * period);
                            if (intended >= end) {
                                return;
                            }
                            ClosedLoop.sleepUntil(intended);
                            if (Thread.currentThread().isInterrupted()) {
                                return;
                            }
                            try {
                                call.call(index);
                            } catch (InterruptedException e) {
                                return;
                            } catch (Exception e) {
                                errors.record(e);
                            }
                            latencies.record(index, Latency.micros(System.nanoTime() - intended));
                        }
                    },
                    "open-loop-" + k);
            threads.add(thread);
            thread.start();
        }
        return new Running(List.copyOf(threads));
    }
}
