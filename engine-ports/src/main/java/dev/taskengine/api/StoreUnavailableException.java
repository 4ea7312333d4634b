package dev.taskengine.api;

/** The store could not answer (for example the database is down). Never a business outcome. */
public class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
