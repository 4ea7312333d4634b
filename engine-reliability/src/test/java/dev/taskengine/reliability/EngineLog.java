package dev.taskengine.reliability;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Counts what the engine logs (through {@code System.Logger}, hence java.util.logging) while a fault is injected,
 * instead of printing every expected warning with its stack trace into the build's output.
 */
final class EngineLog {
    private final Logger logger = Logger.getLogger("dev.taskengine");
    private final boolean parentHandlers = logger.getUseParentHandlers();
    private final AtomicInteger warnings = new AtomicInteger();
    private final Handler counter = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.incrementAndGet();
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private EngineLog() {}

    static EngineLog capture() {
        EngineLog log = new EngineLog();
        log.logger.addHandler(log.counter);
        log.logger.setUseParentHandlers(false);
        return log;
    }

    int warnings() {
        return warnings.get();
    }

    void release() {
        logger.removeHandler(counter);
        logger.setUseParentHandlers(parentHandlers);
    }
}
