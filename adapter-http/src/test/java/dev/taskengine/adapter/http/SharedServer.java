package dev.taskengine.adapter.http;

/**
 * One adapter for every wire test class of the run: tests work in tenants of their own (see {@link TestServer}'s keys),
 * so they do not see each other's tasks. Stopped at JVM exit.
 */
final class SharedServer {
    private static TestServer server;

    private SharedServer() {}

    static synchronized TestServer get() {
        if (server == null) {
            server = TestServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "adapter-http-test-server-stop"));
        }
        return server;
    }
}
