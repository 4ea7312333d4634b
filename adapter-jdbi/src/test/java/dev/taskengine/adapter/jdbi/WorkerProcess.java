package dev.taskengine.adapter.jdbi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An {@link ExecutionWorker} in a child JVM: the same {@code java} as the test JVM, on the test JVM's class path.
 * Reads the worker's stdout reports; its stderr goes to a file, shown when something goes wrong.
 */
final class WorkerProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path stderr;
    private final Thread reader;
    private final Deque<String> lastLines = new ArrayDeque<>();
    private final List<String> acknowledged = new ArrayList<>();
    private volatile long unfinished = -1;
    private volatile boolean ready;
    private volatile String holding;
    private volatile boolean stopped;

    private WorkerProcess(String name, Process process, Path stderr) {
        this.name = name;
        this.process = process;
        this.stderr = stderr;
        this.reader = new Thread(this::readReports, name + "-stdout");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Starts a worker; see {@link ExecutionWorker} for the arguments. */
    static WorkerProcess start(String name, Path folder, Map<String, String> environment, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.add("-Xmx256m");
        command.add("-Duser.timezone=Pacific/Chatham");
        command.add("-cp");
        command.add(testClassPath());
        command.add(ExecutionWorker.class.getName());
        command.addAll(List.of(args));
        Path stderr = folder.resolve(name + ".stderr.log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(stderr.toFile())
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(environment);
        return new WorkerProcess(name, builder.start(), stderr);
    }

    /** The test JVM's own {@code java}. */
    private static String javaExecutable() {
        Path fromHome = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(fromHome)) {
            return fromHome.toString();
        }
        return ProcessHandle.current()
                .info()
                .command()
                .orElseThrow(() -> new IllegalStateException("no java executable"));
    }

    /**
     * The class path of the tests. Surefire runs the tests from a manifest-only jar (then {@code java.class.path} is
     * that jar alone) and tells the real class path in {@code surefire.test.class.path}; outside Surefire it is
     * {@code java.class.path}.
     */
    static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private void readReports() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (this) {
                    lastLines.addLast(line);
                    if (lastLines.size() > 20) {
                        lastLines.removeFirst();
                    }
                }
                if (line.startsWith("status unfinished=")) {
                    unfinished = Long.parseLong(
                            line.substring("status unfinished=".length()).split(" ")[0]);
                } else if (line.startsWith("acknowledged ")) {
                    synchronized (this) {
                        acknowledged.add(line.substring("acknowledged ".length()));
                    }
                } else if (line.startsWith("holding ")) {
                    holding = line.substring("holding ".length());
                } else if (line.startsWith("ready")) {
                    ready = true;
                } else if (line.equals("stopped")) {
                    stopped = true;
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    boolean ready() {
        return ready;
    }

    /** The key of the message the worker's sender delivered and hangs on before answering; null until then. */
    String holding() {
        return holding;
    }

    /** Unfinished tasks of the tenant at the worker's last report; -1 before the first. */
    long unfinished() {
        return unfinished;
    }

    /** Keys the worker's sender was asked to send again after they had been delivered: acknowledged, not delivered. */
    synchronized List<String> acknowledged() {
        return List.copyOf(acknowledged);
    }

    /** kill -9: SIGKILL on Linux. Answers the exit code (137 = 128 + SIGKILL). */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " survived SIGKILL for 30 seconds");
        }
        return process.exitValue();
    }

    /** Asks for a graceful stop (in-flight executions finish); answers the exit code. */
    int stop(Duration within) throws InterruptedException, IOException {
        OutputStream in = process.getOutputStream();
        in.write("stop\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        in.close();
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " did not stop within " + within + "\n" + diagnostics());
        }
        reader.join(5_000);
        return process.exitValue();
    }

    boolean stoppedGracefully() {
        return stopped;
    }

    /** The last reports and the stderr of the worker, for failure messages. */
    synchronized String diagnostics() {
        String errors;
        try {
            List<String> lines = Files.exists(stderr) ? Files.readAllLines(stderr, StandardCharsets.UTF_8) : List.of();
            errors = String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            errors = "(stderr unreadable: " + e + ")";
        }
        return name + " (alive=" + process.isAlive() + (process.isAlive() ? "" : ", exit=" + process.exitValue())
                + ") last reports:\n  " + String.join("\n  ", lastLines) + "\nstderr:\n" + errors;
    }

    /** Never leaves a JVM behind. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
