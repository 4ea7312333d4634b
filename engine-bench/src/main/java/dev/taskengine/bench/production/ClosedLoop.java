package dev.taskengine.bench.production;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * {@code threads} callers at full speed, each calling again as soon as its call returns: {@code warmUp}, then {@code
 * measured}, counting the calls that start and end inside the measured window and their latency. In a closed loop a
 * caller waits for each answer before its next call, so the latency is the service time of each call; it cannot show the
 * queueing an open stream of arrivals would meet when the server stalls (coordinated omission), and does not claim to.
 */
record ClosedLoop(int threads, Duration warmUp, Duration measured) {
    /** One caller's call; {@code n} counts its calls from 0. */
    interface Call {
        void call(long n) throws Exception;
    }

    /**
     * What a run measured: the calls in the window, their latency in microseconds, the failed calls (warm-up included),
     * and the CPU time each watched process spent in the window.
     */
    record Shot(long calls, Duration measured, Histogram latency, ErrorCounts errors, List<Duration> cpu) {
        double perSecond() {
            return calls / (measured.toNanos() / 1e9);
        }

        /** Milliseconds of CPU the watched process {@code i} spent per call. */
        double cpuMsPerCall(int i) {
            return cpu.get(i).toNanos() / 1e6 / Math.max(1, calls);
        }
    }

    /**
     * Runs a caller of {@code callers} on each thread; reads the CPU time of {@code cpuOf} when the window opens and
     * closes, and runs {@code midway} halfway through it (a check of the connections, say).
     */
    Shot run(IntFunction<Call> callers, List<ProcessHandle> cpuOf, Runnable midway) throws InterruptedException {
        long start = System.nanoTime() + Duration.ofMillis(50).toNanos();
        long windowOpens = start + warmUp.toNanos();
        long windowCloses = windowOpens + measured.toNanos();
        CountDownLatch ready = new CountDownLatch(threads);
        LongAdder calls = new LongAdder();
        ErrorCounts errors = new ErrorCounts();
        List<Histogram> latencies = new ArrayList<>();
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Call call = callers.apply(t);
            Histogram latency = Latency.histogram();
            latencies.add(latency);
            Thread thread = new Thread(
                    () -> {
                        ready.countDown();
                        sleepUntil(start);
                        for (long n = 0; ; n++) {
                            long began = System.nanoTime();
                            if (began >= windowCloses) {
                                return;
                            }
                            try {
                                call.call(n);
                            } catch (InterruptedException e) {
                                return;
                            } catch (Exception e) {
                                errors.record(e);
                                continue;
                            }
                            long ended = System.nanoTime();
                            if (began >= windowOpens && ended <= windowCloses) {
                                latency.recordValue(Latency.micros(ended - began));
                                calls.increment();
                            }
                        }
                    },
                    "closed-loop-" + t);
            running.add(thread);
            thread.start();
        }
        ready.await();
        sleepUntil(windowOpens);
        List<Duration> cpuBefore = cpuOf.stream().map(ClosedLoop::cpu).toList();
        sleepUntil(windowOpens + measured.toNanos() / 2);
        midway.run();
        sleepUntil(windowCloses);
        List<Duration> cpuAfter = cpuOf.stream().map(ClosedLoop::cpu).toList();
        long deadline = windowCloses + Duration.ofMinutes(1).toNanos();
        for (Thread thread : running) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        List<Thread> stuck = running.stream().filter(Thread::isAlive).toList();
        if (!stuck.isEmpty()) {
            stuck.forEach(Thread::interrupt);
            throw new IllegalStateException(stuck.size() + " callers still in a call a minute after the window closed: "
                    + stuck.stream().map(Thread::getName).collect(Collectors.joining(", ")));
        }
        Histogram latency = Latency.histogram();
        latencies.forEach(latency::add);
        List<Duration> cpu = new ArrayList<>();
        for (int i = 0; i < cpuOf.size(); i++) {
            cpu.add(cpuAfter.get(i).minus(cpuBefore.get(i)));
        }
        return new Shot(calls.sum(), measured, latency, errors, cpu);
    }

    static Duration cpu(ProcessHandle process) {
        return process.info()
                .totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("no CPU time for process " + process.pid()));
    }

    /** Sleeps until {@code nanoTime} ({@link System#nanoTime()}), or until the thread is interrupted. */
    static void sleepUntil(long nanoTime) {
        for (long left = nanoTime - System.nanoTime();
                left > 0 && !Thread.currentThread().isInterrupted();
                left = nanoTime - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
