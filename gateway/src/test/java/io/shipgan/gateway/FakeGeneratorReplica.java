package io.shipgan.gateway;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * One stand-in generator replica on a free loopback port: it answers like {@link FakeGeneratorResource}'s generator,
 * counts the requests that reached it, and can be told over HTTP how to behave, so that a test in the Quarkus class
 * loader can steer it: {@code POST /fake/mode/SERVE|NO_MODEL|SLOW|BROKEN}, {@code GET /fake/hits} (lines of
 * {@code METHOD path=count}), {@code POST /fake/reset}.
 */
final class FakeGeneratorReplica {

    /** How the replica answers the generator routes. */
    enum Mode {
        /** Answers as a generator with a model does. */
        SERVE,
        /** Answers every route 503 with a problem and {@code Retry-After}, as a generator without a model does. */
        NO_MODEL,
        /** Waits {@link #SLOW_MILLIS} before answering, longer than the gateway's read timeout in the tests. */
        SLOW,
        /** Drops the connection without an answer, as a replica killed mid-request does. */
        BROKEN
    }

    static final long SLOW_MILLIS = 1500;
    static final String NO_MODEL_DETAIL = "no checkpoint has been loaded yet";

    private final HttpServer server;
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private volatile Mode mode = Mode.SERVE;

    FakeGeneratorReplica() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        Filter behaviour = Filter.beforeHandler("counts and misbehaves on demand", this::count);
        for (HttpContext context : FakeGeneratorResource.answerLikeAGenerator(server)) {
            context.getFilters().add(behaviour);
            context.getFilters().add(new Misbehaviour());
        }
        server.createContext("/fake", this::control);
        server.start();
    }

    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
    }

    private void count(HttpExchange exchange) {
        String key = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
        hits.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    private void control(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = "";
        if (path.startsWith("/fake/mode/")) {
            mode = Mode.valueOf(path.substring("/fake/mode/".length()));
        } else if (path.equals("/fake/reset")) {
            hits.clear();
            mode = Mode.SERVE;
        } else if (path.equals("/fake/hits")) {
            body = new TreeMap<>(hits).entrySet().stream()
                    .map(entry -> entry.getKey() + "=" + entry.getValue().get())
                    .collect(Collectors.joining("\n"));
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Applies the mode before the generator's own answer. */
    private final class Misbehaviour extends Filter {

        @Override
        public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
            switch (mode) {
                case NO_MODEL -> {
                    byte[] body = ("{\"type\":\"about:blank\",\"status\":503,\"detail\":\"" + NO_MODEL_DETAIL + "\"}")
                            .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
                    exchange.getResponseHeaders().add("Retry-After", "7");
                    exchange.sendResponseHeaders(503, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
                case BROKEN -> throw new IOException("replica told to drop the connection");
                case SLOW -> {
                    sleep();
                    chain.doFilter(exchange);
                }
                default -> chain.doFilter(exchange);
            }
        }

        @Override
        public String description() {
            return "answers according to the replica's mode";
        }

        private void sleep() {
            try {
                Thread.sleep(SLOW_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
