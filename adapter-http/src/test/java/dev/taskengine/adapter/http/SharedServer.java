package dev.taskengine.adapter.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One runnable server for every test class of the run (starting Jetty, Flyway and H2 cold costs seconds): tests work in
 * tenants of their own (see {@link TestServer}'s keys), so they do not see each other's tasks. Stopped at JVM exit.
 */
final class SharedServer {
    private static TestServer server;

    private SharedServer() {}

    static synchronized TestServer get() {
        if (server == null) {
            try {
                Path dir = Files.createTempDirectory("adapter-http-test-");
                server = TestServer.start(dir);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    server.close();
                    delete(dir);
                }, "adapter-http-test-server-stop"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return server;
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
