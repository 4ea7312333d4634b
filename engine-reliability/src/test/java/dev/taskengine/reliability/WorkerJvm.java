package dev.taskengine.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A worker of a proof in a JVM of its own, on the test's class path: its stdout read line by line (each line offered
 * to a tap first, the others queued for {@link #next}), its stderr in a file of the proof's folder, stdin to tell it
 * things, and SIGKILL to end it as a crash would.
 */
final class WorkerJvm implements AutoCloseable {
    final String owner;
    private final Process process;
    private final Path stderr;
    private final Predicate<String> tap;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private WorkerJvm(String owner, Process process, Path stderr, Predicate<String> tap) {
        this.owner = owner;
        this.process = process;
        this.stderr = stderr;
        this.tap = tap;
        Thread reader = new Thread(this::read, owner + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code main} with {@code arguments} in a JVM with {@code options}; {@code tap} takes the stdout lines it
     * answers true for, the rest wait for {@link #next}.
     */
    static WorkerJvm start(
            String owner,
            Path folder,
            List<String> options,
            Class<?> main,
            List<String> arguments,
            Predicate<String> tap)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.add("-cp");
        command.add(testClassPath());
        command.add(main.getName());
        command.addAll(arguments);
        Path stderr = folder.resolve(owner + ".stderr.log");
        Process process = new ProcessBuilder(command)
                .redirectError(stderr.toFile())
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        return new WorkerJvm(owner, process, stderr, tap);
    }

    /**
     * Surefire runs the tests from a manifest-only jar and tells the real class path in
     * {@code surefire.test.class.path}; outside Surefire it is {@code java.class.path}.
     */
    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private void read() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!tap.test(line)) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The next line it said that the tap left; throws, with its stderr, when it said none for that long. */
    String next(long timeoutSeconds) throws InterruptedException {
        String line = lines.poll(timeoutSeconds, TimeUnit.SECONDS);
        if (line == null) {
            throw new IllegalStateException(owner + " said nothing for " + timeoutSeconds + " s\n" + diagnostics());
        }
        return line;
    }

    /** Writes {@code line} to its stdin. */
    void tell(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** kill -9: SIGKILL on Linux. Answers the exit code (137). */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(owner + " survived SIGKILL for 30 seconds");
        }
        return process.exitValue();
    }

    /** The last lines of its stderr. */
    String diagnostics() {
        try {
            List<String> text = Files.readAllLines(stderr, StandardCharsets.UTF_8);
            return owner + " stderr:\n" + String.join("\n", text.subList(Math.max(0, text.size() - 60), text.size()));
        } catch (IOException e) {
            return owner + " stderr unreadable: " + e;
        }
    }

    /** Ends it: stdin closed (a worker stops when it closes), then SIGKILL if it is still there after 10 s. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // gone already
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
