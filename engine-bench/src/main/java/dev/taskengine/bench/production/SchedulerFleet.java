package dev.taskengine.bench.production;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * Scheduler instances of one contender on one schema, each in a JVM of its own ({@link SchedulerInstance}, started with
 * this JVM's class path, so from the shaded jar and from a test alike), driven through their standard input and output.
 * {@link #close} ends every one of them, whatever happened; an instance that dies or fails fails the workload with its
 * output.
 */
final class SchedulerFleet implements AutoCloseable {
    private static final Duration SAY_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

    /** What one instance's sender saw during a shot. */
    record Stopped(long executed, long early, Histogram lateness) {}

    private final List<Instance> instances;

    private SchedulerFleet(List<Instance> instances) {
        this.instances = instances;
    }

    /**
     * Starts {@code count} instances of the contender of {@code tables}, on its schema and tenant, and answers once
     * every one is ready for its first shot. They start one after another: JVMs starting together on a small, busy
     * machine starve each other's first connection past the driver's connect timeout (seen with 4 on 2 cores at a load
     * average of 19).
     */
    static SchedulerFleet fork(SchedulerTables tables, int count) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Instance> instances = new ArrayList<>();
        SchedulerFleet fleet = new SchedulerFleet(instances);
        try {
            for (int i = 1; i <= count; i++) {
                Process process = new ProcessBuilder(
                                java,
                                "-Xms256m",
                                "-Xmx1g",
                                "-cp",
                                System.getProperty("java.class.path"),
                                SchedulerInstance.class.getName(),
                                tables.contender().label(),
                                tables.schema(),
                                tables.tenant().value())
                        .redirectErrorStream(true)
                        .start();
                Instance instance =
                        new Instance(tables.contender().label() + " instance " + i + " of " + count, process);
                instances.add(instance);
                instance.await(SchedulerInstance.READY);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            try {
                fleet.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return fleet;
    }

    /** Waits until every instance has built its next shot's scheduler (its connections are open since it started). */
    void awaitReady() throws InterruptedException {
        for (Instance instance : instances) {
            instance.await(SchedulerInstance.READY);
        }
    }

    /** Tells every instance to start, then waits until each has. */
    void start() throws IOException, InterruptedException {
        for (Instance instance : instances) {
            instance.tell(SchedulerInstance.START);
        }
        for (Instance instance : instances) {
            instance.await(SchedulerInstance.STARTED);
        }
    }

    /** Tells every instance to stop (finishing what it has under way), and answers what each executed. */
    List<Stopped> stop() throws IOException, InterruptedException {
        for (Instance instance : instances) {
            instance.tell(SchedulerInstance.STOP);
        }
        List<Stopped> stopped = new ArrayList<>();
        for (Instance instance : instances) {
            stopped.add(instance.stopped(instance.await(SchedulerInstance.EXECUTED)));
        }
        return stopped;
    }

    /** Fails, with its output, if an instance is no longer running. */
    void checkAlive() {
        for (Instance instance : instances) {
            if (!instance.process.isAlive()) {
                throw instance.failure("exited with " + instance.process.exitValue());
            }
        }
    }

    /**
     * Tells every instance to exit and waits for it; one that does not is destroyed. Fails if one did not exit cleanly.
     */
    @Override
    public void close() {
        List<String> failures = new ArrayList<>();
        for (Instance instance : instances) {
            try {
                instance.tell(SchedulerInstance.EXIT);
            } catch (IOException alreadyGone) {
                // It exited on its own: its exit value says how.
            }
        }
        for (Instance instance : instances) {
            String failure = instance.end();
            if (failure != null) {
                failures.add(failure);
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(String.join("\n\n", failures));
        }
    }

    /**
     * One forked instance: its commands, what it says (the lines starting with {@link SchedulerInstance#SAYS}), its
     * output.
     */
    private static final class Instance {
        private static final int OUTPUT_LINES = 200;

        private final String name;
        private final Process process;
        private final Writer commands;
        private final BlockingQueue<String> said = new LinkedBlockingQueue<>();
        /** The last {@link #OUTPUT_LINES} lines of its output, for a failure's message. */
        private final Deque<String> output = new ArrayDeque<>();

        private final Thread reader;

        Instance(String name, Process process) {
            this.name = name;
            this.process = process;
            this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            this.reader = new Thread(this::read, "fleet-reader-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.startsWith(SchedulerInstance.SAYS)) {
                        said.add(line.substring(SchedulerInstance.SAYS.length()));
                    }
                    synchronized (output) {
                        output.addLast(line);
                        if (output.size() > OUTPUT_LINES) {
                            output.removeFirst();
                        }
                    }
                }
            } catch (IOException e) {
                // The process ended: its exit value says how.
            }
        }

        void tell(String command) throws IOException {
            commands.write(command + "\n");
            commands.flush();
        }

        /** The next line it says, which must start with {@code expected}. */
        String await(String expected) throws InterruptedException {
            long deadline = System.nanoTime() + SAY_TIMEOUT.toNanos();
            while (true) {
                String line = said.poll(100, TimeUnit.MILLISECONDS);
                if (line != null) {
                    if (!line.startsWith(expected)) {
                        throw failure("said \"" + line + "\" where " + expected + " was expected");
                    }
                    return line;
                }
                if (!process.isAlive() && said.isEmpty()) {
                    reader.join(1_000);
                    if (said.isEmpty()) {
                        throw failure("exited with " + process.exitValue() + " before it said " + expected);
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw failure("did not say " + expected + " within " + SAY_TIMEOUT);
                }
            }
        }

        /** {@code executed <n> early <n> lateness <histogram>}, as the instance reports a shot. */
        Stopped stopped(String line) {
            String[] parts = line.split(" ");
            byte[] histogram = Base64.getDecoder().decode(parts[5]);
            try {
                return new Stopped(
                        Long.parseLong(parts[1]),
                        Long.parseLong(parts[3]),
                        Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(histogram), 0));
            } catch (DataFormatException e) {
                throw failure("reported a lateness histogram that cannot be read: " + e.getMessage());
            }
        }

        /** Waits for it to exit, destroying it if it does not; answers why it failed, or null. */
        String end() {
            try {
                if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    return failure("did not exit within " + EXIT_TIMEOUT + " and was destroyed")
                            .getMessage();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                return failure("was destroyed: interrupted while waiting for it to exit")
                        .getMessage();
            }
            try {
                reader.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return process.exitValue() == 0
                    ? null
                    : failure("exited with " + process.exitValue()).getMessage();
        }

        IllegalStateException failure(String what) {
            synchronized (output) {
                return new IllegalStateException(
                        name + " (pid " + process.pid() + ") " + what + "; its output:\n" + String.join("\n", output));
            }
        }
    }
}
