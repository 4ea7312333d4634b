package dev.taskengine.adapter.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import java.util.function.UnaryOperator;

/** Where the dialects register their routes: each handler is wrapped by the adapter's pipeline and recorded. */
final class Routes {
    private final RoutesConfig routes;
    private final UnaryOperator<Handler> pipeline;
    private final java.util.List<HttpApi.Route> recorded;

    Routes(RoutesConfig routes, UnaryOperator<Handler> pipeline, java.util.List<HttpApi.Route> recorded) {
        this.routes = routes;
        this.pipeline = pipeline;
        this.recorded = recorded;
    }

    void get(String path, Handler handler) {
        recorded.add(new HttpApi.Route("GET", path));
        routes.get(path, pipeline.apply(handler));
    }

    void post(String path, Handler handler) {
        recorded.add(new HttpApi.Route("POST", path));
        routes.post(path, pipeline.apply(handler));
    }

    void put(String path, Handler handler) {
        recorded.add(new HttpApi.Route("PUT", path));
        routes.put(path, pipeline.apply(handler));
    }

    void delete(String path, Handler handler) {
        recorded.add(new HttpApi.Route("DELETE", path));
        routes.delete(path, pipeline.apply(handler));
    }

    void patch(String path, Handler handler) {
        recorded.add(new HttpApi.Route("PATCH", path));
        routes.patch(path, pipeline.apply(handler));
    }
}
