package io.shipgan.gateway;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in generator on loopback for the gateway's own tests; the end-to-end tests use the real one. It answers
 * like the generator does, with fixed bytes, and shows what reached it:
 * <ul>
 *   <li>{@code /api/v1/images}: a PNG with {@code X-Seed} set to the query it got; {@code .npy} bytes when the query
 *       says {@code format=npy} or Accept names {@code application/x-npy}; a 503 problem for seed 503; a plain-text
 *       500 with a stack trace and an address for seed 500; a 422 problem for label {@code cat};</li>
 *   <li>{@code /api/v1/images/interpolation}: the same, with a body of {@code query=<query>;accept=<Accept>}, or
 *       for label {@code trace} a body of {@code traceparent=<the traceparent header it got>};</li>
 *   <li>{@code /api/v1/models/...}: the events list, pin (404 for version 404, 409 for 409), unpin, and rollback,
 *       which answers the body it got in Base64 (409 when the body says {@code conflict}).</li>
 * </ul>
 */
public class FakeGeneratorResource implements QuarkusTestResourceLifecycleManager {

    static final byte[] IMAGE = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
    static final byte[] NPY = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    static final String UNKNOWN_LABEL_DETAIL =
            "query parameter 'label' must be one of ship, no-ship (the labels model 12 draws); got 'cat'";
    static final String EVENTS = "[{\"replica\":\"fake:8082\",\"modelName\":\"shipgan-dcgan\",\"version\":12,"
            + "\"event\":\"activated\",\"reason\":null,\"at\":\"2026-01-01T00:00:00Z\"}]";

    static final String TRACE_LABEL = "trace";

    static final String TRAINING_STATUS = "{\"state\":\"TRAINING\",\"step\":12,\"scores\":{\"ship_rate\":0.75}}";

    private static final Pattern PIN_PATH = Pattern.compile("/api/v1/models/([^/]+)/pin");
    private static final Pattern LABEL_PARAMETER = Pattern.compile("(?:^|&)label=([^&]*)");

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        answerLikeAGenerator(server);
        server.createContext("/api/v1/training", FakeGeneratorResource::answerTraining);
        server.start();
        String address = "127.0.0.1:" + server.getAddress().getPort();
        return Map.of("quarkus.stork.generator.service-discovery.address-list", address,
                "shipgan.trainer-url", "http://" + address);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** Adds the generator's routes to the server; the contexts are returned so that a test can filter them. */
    static List<HttpContext> answerLikeAGenerator(HttpServer server) {
        return List.of(
                server.createContext("/api/v1/images", exchange -> answerImages(exchange, false)),
                server.createContext("/api/v1/images/interpolation", exchange -> answerImages(exchange, true)),
                server.createContext("/api/v1/models", FakeGeneratorResource::answerModels));
    }

    private static void answerImages(HttpExchange exchange, boolean interpolation) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        String label = labelOf(query);
        if (query != null && query.contains("seed=503")) {
            exchange.getResponseHeaders().add("Retry-After", "5");
            problem(exchange, 503, "no checkpoint has been loaded yet");
            return;
        }
        if (query != null && query.contains("seed=500")) {
            send(exchange, 500, "text/plain", ("java.lang.IllegalStateException: boom\n\tat "
                    + "io.shipgan.generator.Sampler.sample(Sampler.java:12) from http://127.0.0.1:1/internal")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        if ("cat".equals(label)) {
            problem(exchange, 422, UNKNOWN_LABEL_DETAIL);
            return;
        }
        exchange.getResponseHeaders().add("X-Model-Version", "12");
        exchange.getResponseHeaders().add("X-Label", label == null ? "ship" : label);
        if (!interpolation) {
            exchange.getResponseHeaders().add("X-Seed", query == null ? "none" : query);
        }
        boolean npy = (query != null && query.contains("format=npy"))
                || (accept != null && accept.contains("application/x-npy"));
        if (npy) {
            exchange.getResponseHeaders().add("Content-Disposition", "attachment; filename=\"fake.npy\"");
        }
        String traceparent = exchange.getRequestHeaders().getFirst("traceparent");
        byte[] body = interpolation && TRACE_LABEL.equals(label)
                ? ("traceparent=" + traceparent).getBytes(StandardCharsets.UTF_8)
                : interpolation ? ("query=" + query + ";accept=" + accept).getBytes(StandardCharsets.UTF_8)
                : npy ? NPY : IMAGE;
        send(exchange, 200, npy ? "application/x-npy" : "image/png", body);
    }

    private static void answerModels(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        Matcher pin = PIN_PATH.matcher(path);
        if (path.equals("/api/v1/models/events") && method.equals("GET")) {
            json(exchange, 200, EVENTS);
        } else if (path.equals("/api/v1/models/pin") && method.equals("DELETE")) {
            json(exchange, 200, "{\"policy\":{\"mode\":\"follow-latest\",\"pinnedVersion\":null}}");
        } else if (pin.matches() && method.equals("POST")) {
            answerPin(exchange, pin.group(1));
        } else if (path.equals("/api/v1/models/rollback") && method.equals("POST")) {
            answerRollback(exchange);
        } else if (path.equals("/api/v1/models") && method.equals("GET")) {
            json(exchange, 200, "{\"modelName\":\"shipgan-dcgan\",\"active\":{\"version\":12,"
                    + "\"labels\":[\"ship\",\"no-ship\"]}}");
        } else {
            problem(exchange, 404, "no such resource");
        }
    }

    /** The trainer's routes: status, history, pictures (checkpoint 7 has a grid), start (202) and stop (409). */
    private static void answerTraining(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (method.equals("GET") && path.equals("/api/v1/training")) {
            json(exchange, 200, TRAINING_STATUS);
        } else if (method.equals("GET") && path.equals("/api/v1/training/history")) {
            json(exchange, 200, "[{\"step\":10,\"generatorLoss\":1.5,\"discriminatorLoss\":1.2}]");
        } else if (method.equals("GET") && (path.equals("/api/v1/training/curves.png")
                || path.equals("/api/v1/training/checkpoints/7/samples.png"))) {
            exchange.getResponseHeaders().add("Cache-Control", "no-cache");
            send(exchange, 200, "image/png", IMAGE);
        } else if (method.equals("POST") && path.equals("/api/v1/training/start")) {
            json(exchange, 202, TRAINING_STATUS);
        } else if (method.equals("POST") && path.equals("/api/v1/training/stop")) {
            json(exchange, 409, "{\"state\":\"IDLE\"}");
        } else {
            problem(exchange, 404, "no sample grid for checkpoint 99");
        }
    }

    private static void answerPin(HttpExchange exchange, String version) throws IOException {
        switch (version) {
            case "404" -> problem(exchange, 404, "version 404 is unknown to this replica");
            case "409" -> problem(exchange, 409, "version 409 was rejected: quality gate");
            default -> json(exchange, 200, "{\"policy\":{\"mode\":\"pinned\",\"pinnedVersion\":" + version + "}}");
        }
    }

    private static void answerRollback(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (new String(body, StandardCharsets.UTF_8).contains("conflict")) {
            problem(exchange, 409, "nothing earlier on disk to roll back to");
            return;
        }
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        json(exchange, 200, "{\"policy\":{\"mode\":\"follow-latest\"},\"receivedBody\":\""
                + Base64.getEncoder().encodeToString(body) + "\",\"receivedType\":\"" + type + "\"}");
    }

    private static String labelOf(String query) {
        if (query == null) {
            return null;
        }
        Matcher label = LABEL_PARAMETER.matcher(query);
        return label.find() ? label.group(1) : null;
    }

    private static void problem(HttpExchange exchange, int status, String detail) throws IOException {
        String body = "{\"type\":\"about:blank\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}";
        send(exchange, status, "application/problem+json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
