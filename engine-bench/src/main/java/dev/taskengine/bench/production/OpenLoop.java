package dev.taskengine.bench.production;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
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

    /**
     * A run under way. {@code next} holds, for each caller, the request it is in or sends next (or the first index past
     * the run's end when it is done).
     */
    record Running(
            List<Thread> callers,
            AtomicLongArray next,
            AtomicBoolean stopping,
            int connections,
            long start,
            long end,
            double period,
            Latencies latencies,
            ErrorCounts errors) {
        /**
         * Waits up to {@code timeout} for the callers to finish the requests due before the end, then stops those
         * still behind: each request they had not finished (the one under way included) counts as an error and with
         * its latency so far (from its intended start to the stop, a lower bound), so that a server that fell behind
         * shows in the figures rather than ending the run.
         *
         * @return the requests not finished in time
         */
        long join(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (Thread caller : callers) {
                caller.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            interrupt();
            for (Thread caller : callers) {
                caller.join();
            }
            long stopped = System.nanoTime();
            long unfinished = 0;
            for (int k = 0; k < connections; k++) {
                for (long index = next.get(k); ; index += connections) {
                    long intended = start + (long) (index * period);
                    if (intended >= end) {
                        break;
                    }
                    latencies.record(index, Latency.micros(stopped - intended));
                    unfinished++;
                }
            }
            if (unfinished > 0) {
                errors.record(
                        "not finished",
                        unfinished,
                        "the callers were still behind their schedule " + timeout + " after the end");
            }
            return unfinished;
        }

        /** Stops the callers: each ends its request under way (interrupted) and sends no other. */
        void interrupt() {
            stopping.set(true);
            callers.forEach(Thread::interrupt);
        }
    }

    /** Starts the callers: requests due from {@code start} until before {@code end} ({@link System#nanoTime()}). */
    Running start(long start, long end, IntFunction<Call> callers, Latencies latencies, ErrorCounts errors) {
        double period = 1e9 / perSecond;
        AtomicLongArray next = new AtomicLongArray(connections);
        AtomicBoolean stopping = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < connections; k++) {
            int caller = k;
            Call call = callers.apply(k);
            Thread thread = new Thread(
                    () -> {
                        for (long index = caller; ; index += connections) {
                            next.set(caller, index);
                            long intended = start + (long) (index * period);
                            if (intended >= end) {
                                return;
                            }
                            ClosedLoop.sleepUntil(intended);
                            if (stopping.get() || Thread.currentThread().isInterrupted()) {
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
        return new Running(List.copyOf(threads), next, stopping, connections, start, end, period, latencies, errors);
    }
}
