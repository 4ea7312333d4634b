/**
 * The engine: the driving API a host calls ({@code dev.taskengine.api}), the SPI a host implements
 * ({@code dev.taskengine.spi}) and the store SPI adapter authors implement ({@code dev.taskengine.store}). Its machinery
 * ({@code dev.taskengine.internal}) is not exported.
 */
module dev.taskengine.engine {
    requires transitive dev.taskengine.domain;
    requires java.management;
    requires java.net.http;

    exports dev.taskengine.api;
    exports dev.taskengine.spi;
    exports dev.taskengine.store;
}
