package io.shipgan.gateway;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/** Every /api/v1 route of the gateway, by the role it needs, as calls the fake backends answer with success. */
final class Routes {

    private Routes() {
    }

    /** Sampling and read-only routes: the user role. */
    static Map<String, Function<RequestSpecification, Response>> userRoutes() {
        Map<String, Function<RequestSpecification, Response>> routes = new LinkedHashMap<>();
        routes.put("GET images", request -> request.queryParam("seed", 7).get("/api/v1/images"));
        routes.put("GET interpolation", request -> request.queryParam("from", 1).queryParam("to", 2)
                .get("/api/v1/images/interpolation"));
        routes.put("GET models", request -> request.get("/api/v1/models"));
        routes.put("GET events", request -> request.get("/api/v1/models/events"));
        routes.put("GET training", request -> request.get("/api/v1/training"));
        routes.put("GET history", request -> request.get("/api/v1/training/history"));
        routes.put("GET curves", request -> request.get("/api/v1/training/curves.png"));
        routes.put("GET samples", request -> request.get("/api/v1/training/checkpoints/7/samples.png"));
        return routes;
    }

    /** Routes that change state: the admin role. */
    static Map<String, Function<RequestSpecification, Response>> adminRoutes() {
        Map<String, Function<RequestSpecification, Response>> routes = new LinkedHashMap<>();
        routes.put("POST pin", request -> request.post("/api/v1/models/7/pin"));
        routes.put("DELETE pin", request -> request.delete("/api/v1/models/pin"));
        routes.put("POST rollback", request -> request.contentType("application/json").body("{}")
                .post("/api/v1/models/rollback"));
        routes.put("POST training start", request -> request.post("/api/v1/training/start"));
        routes.put("POST training stop", request -> request.post("/api/v1/training/stop"));
        return routes;
    }

    /** Every protected route. */
    static Map<String, Function<RequestSpecification, Response>> allRoutes() {
        Map<String, Function<RequestSpecification, Response>> routes = new LinkedHashMap<>(userRoutes());
        routes.putAll(adminRoutes());
        return routes;
    }

    /** Runs {@code check} on every route's answer, naming the route when it fails. */
    static void forEach(Map<String, Function<RequestSpecification, Response>> routes,
                        Supplier<RequestSpecification> request,
                        Consumer<Response> check) {
        for (var route : routes.entrySet()) {
            try {
                check.accept(route.getValue().apply(request.get().when()));
            } catch (AssertionError e) {
                throw new AssertionError(route.getKey() + ": " + e.getMessage(), e);
            }
        }
    }
}
