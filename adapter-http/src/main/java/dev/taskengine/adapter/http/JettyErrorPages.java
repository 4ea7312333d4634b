package dev.taskengine.adapter.http;

import dev.taskengine.adapter.http.Refusal.Failure;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty gives itself, before any route runs — a request line, path or header it cannot read (400), a URI
 * too long (414), headers too large (431), a body too large (413) — in the dialect's error shape (Topo's under
 * {@code /v1}, Reply's problem+json elsewhere) with an {@code X-Request-Id}, instead of Jetty's HTML page. The message
 * is ours, by status: Jetty's own text names its internals.
 */
final class JettyErrorPages extends ErrorHandler {
    private final Errors errors;

    JettyErrorPages(Errors errors) {
        this.errors = errors;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus() >= 400 ? response.getStatus() : statusOf(request);
        boolean topo = Errors.topo(pathOf(request));
        String requestId = HttpApi.newRequestId();
        byte[] body = errors.body(topo, new Failure.Http(status, message(status)), status, requestId);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Errors.contentType(topo));
        response.getHeaders().put("X-Request-Id", requestId);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    private static int statusOf(Request request) {
        return request.getAttribute(ERROR_STATUS) instanceof Integer status ? status : 500;
    }

    /** The path as sent, when Jetty could read one; a path it refused may be ambiguous, so the raw form is used. */
    private static String pathOf(Request request) {
        try {
            return request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String message(int status) {
        return switch (status) {
            case 400 -> "the request cannot be read: its request line, path or headers are malformed";
            case 404 -> "no route for this path";
            case 405 -> "this method is not allowed on this path";
            case 408 -> "the request did not arrive in time";
            case 413 -> "the request body is larger than this server accepts";
            case 414 -> "the request's path and query are longer than this server accepts";
            case 431 -> "the request's headers are larger than this server accepts";
            case 500 -> "the server failed; the request may or may not have been carried out";
            default -> "the request could not be served (HTTP " + status + ")";
        };
    }
}
