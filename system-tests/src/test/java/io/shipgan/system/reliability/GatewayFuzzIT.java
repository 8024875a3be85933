package io.shipgan.system.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.shipgan.checkpoint.CheckpointRecord;
import io.shipgan.system.GatewayKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

/**
 * Promises 7 and 8 against the packaged gateway in front of a real generator (serving a real ONNX model) and a real
 * trainer, all processes on loopback. Promise 7: QuickTheories draws requests for every route of the gateway's OpenAPI
 * document, with every method, wrong types, huge, negative and non-numbers, long strings, bad percent-escapes, raw
 * non-ASCII and control bytes, missing, unknown and repeated parameters, odd content types and bodies, and no, a
 * wrong, a user or an admin key, sent as raw bytes; no answer may be a 5xx, carry a stack trace or an internal
 * address, or be a 4xx other than a problem, and a 2xx must be what the route promises. A failure prints the shrunk
 * request. Promise 8: every operation of the document refuses a missing and a wrong key, and every state-changing one
 * a user key, while the right key gets past the check.
 *
 * <p>The tries come from {@code shipgan.reliability.fuzz-tries} (10 000 in CI), drawn from a fixed seed.
 */
class GatewayFuzzIT {

    private static final String FUZZ = "7 gateway fuzzing";
    private static final String ACCESS = "8 access control";
    private static final int TRIES = SuiteSize.integer("fuzz-tries", 10_000);
    private static final long SEED = 20_261_205L;
    /** Each shrink step sends requests again: bounded, so a failure is reported within a minute or so. */
    private static final int SHRINK_CYCLES = 200;
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS",
            "TRACE", "BREW");
    private static final List<String> LEAKS = List.of("Exception", "\tat ", "at io.", "at java.", "at org.",
            "Caused by");

    private static FuzzStack stack;
    private static List<GatewayApi.Operation> operations;

    private static final AtomicInteger casesRun = new AtomicInteger();
    private static final AtomicInteger serverErrors = new AtomicInteger();
    private static final AtomicInteger leaks = new AtomicInteger();
    private static final AtomicInteger nonProblems = new AtomicInteger();
    private static final AtomicInteger brokenPromises = new AtomicInteger();
    private static final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private static final List<String> firstViolations = new ArrayList<>();
    private static long fuzzNanos;

    private static int accessChecks;
    private static final List<String> accessFailures = new ArrayList<>();

    @BeforeAll
    static void startStack() throws Exception {
        stack = FuzzStack.start();
        operations = GatewayApi.read(stack.gateway.baseUrl());
        assertTrue(operations.size() >= 13, "the document lists the gateway's routes: " + operations);
    }

    @AfterAll
    static void recordFiguresAndStop() {
        try {
            if (casesRun.get() > 0) {
                recordFuzzFigures();
            }
            if (accessChecks > 0) {
                Promises.require(ACCESS, "operations of the OpenAPI document checked", operations.size() + " ("
                        + operations.stream().filter(GatewayApi.Operation::changesState).count()
                        + " state-changing), " + accessChecks + " requests", "every one", true, "");
                Promises.require(ACCESS, "refusals that failed to refuse", String.valueOf(accessFailures.size()), "0",
                        accessFailures.isEmpty(), String.join("\n", accessFailures));
            }
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
    }

    private static void recordFuzzFigures() {
        double seconds = fuzzNanos / 1e9;
        String violations = String.join("\n", firstViolations);
        // The run stops at the first failing case (then shrinks it): a short run is then told by the figures below.
        boolean failed = !firstViolations.isEmpty();
        Promises.require(FUZZ, "cases run", casesRun.get() + (failed ? " (stopped at the first failure)" : ""),
                "≥ " + TRIES, failed || casesRun.get() >= TRIES,
                "fewer cases ran than shipgan.reliability.fuzz-tries");
        Promises.require(FUZZ, "5xx answers", String.valueOf(serverErrors.get()), "0", serverErrors.get() == 0,
                violations);
        Promises.require(FUZZ, "stack traces or internal addresses in bodies", String.valueOf(leaks.get()), "0",
                leaks.get() == 0, violations);
        Promises.require(FUZZ, "4xx answers that are not a problem+json with status, title and detail",
                String.valueOf(nonProblems.get()), "0", nonProblems.get() == 0, violations);
        Promises.require(FUZZ, "2xx answers that are not what the route promises",
                String.valueOf(brokenPromises.get()), "0", brokenPromises.get() == 0, violations);
        Promises.report(FUZZ, "answers by status", new TreeMap<>(statuses).entrySet().stream()
                .map(entry -> entry.getKey() + ": " + entry.getValue()).collect(Collectors.joining(", ")));
        Promises.report(FUZZ, "cases per second", String.format(Locale.ROOT, "%.0f (%d in %.1f s, one connection "
                + "each, sequential)", casesRun.get() / seconds, casesRun.get(), seconds));
    }

    /**
     * The seed is fixed so that CI draws the same requests every run; a longer run (more tries) draws these first
     * and then more. A failing case stops the run and is shrunk to a smaller one that still fails, which the
     * failure names.
     */
    @Test
    void everyAnswerIsCleanAndEveryRefusalAProblem() {
        qt().withFixedSeed(SEED).withExamples(TRIES).withShrinkCycles(SHRINK_CYCLES)
                .forAll(requests())
                .checkAssert(request -> {
                    try {
                        exchange(request);
                    } catch (IOException e) {
                        throw new UncheckedIOException(request.toString(), e);
                    }
                });
    }

    private static void exchange(FuzzCase request) throws IOException {
        long start = System.nanoTime();
        RawHttp.Answer answer = RawHttp.exchange(stack.gateway.port(), request.bytes());
        fuzzNanos += System.nanoTime() - start;
        casesRun.incrementAndGet();
        statuses.computeIfAbsent(answer.status(), status -> new AtomicInteger()).incrementAndGet();

        String violation = violation(request, answer);
        if (violation != null) {
            synchronized (firstViolations) {
                if (firstViolations.size() < 5) {
                    firstViolations.add(violation + "\n  " + request);
                }
            }
            throw new AssertionError(violation);
        }
    }

    /** What is wrong with the answer, counted under its kind; null when nothing is. */
    private static String violation(FuzzCase request, RawHttp.Answer answer) {
        String type = baseType(answer.header("content-type"));
        boolean textual = !type.equals("image/png") && !type.equals("application/x-npy");
        if (answer.status() >= 500) {
            serverErrors.incrementAndGet();
            return "status " + answer.status() + ": " + abbreviated(answer);
        }
        if (textual) {
            String text = answer.text();
            for (String leak : LEAKS) {
                if (text.contains(leak)) {
                    leaks.incrementAndGet();
                    return "the body shows '" + leak + "': " + abbreviated(answer);
                }
            }
            for (String address : stack.internalAddresses()) {
                if (text.contains(address)) {
                    leaks.incrementAndGet();
                    return "the body names the internal address '" + address + "': " + abbreviated(answer);
                }
            }
        }
        if (answer.status() >= 400) {
            String wrong = problemFault(request, answer, type);
            if (wrong != null) {
                nonProblems.incrementAndGet();
                return wrong;
            }
        } else if (answer.status() >= 200 && answer.status() < 300) {
            String wrong = promiseFault(request, answer, type);
            if (wrong != null) {
                brokenPromises.incrementAndGet();
                return wrong;
            }
        }
        return null;
    }

    private static String problemFault(FuzzCase request, RawHttp.Answer answer, String type) {
        if (!type.equals("application/problem+json")) {
            return answer.status() + " with Content-Type '" + answer.header("content-type") + "': "
                    + abbreviated(answer);
        }
        if (answer.status() == 401 && answer.header("www-authenticate") == null) {
            return "401 without WWW-Authenticate";
        }
        if (answer.status() == 405 && answer.header("allow") == null) {
            return "405 without Allow";
        }
        if (request.method().equals("HEAD")) {
            return null;
        }
        try {
            JsonNode problem = CheckpointRecord.json().readTree(answer.body());
            if (problem.path("status").asInt() != answer.status() || problem.path("title").asText().isBlank()
                    || problem.path("detail").asText().isBlank()) {
                return "a problem without a matching status, a title or a detail: " + abbreviated(answer);
            }
        } catch (IOException e) {
            return "a problem body that is not JSON: " + abbreviated(answer);
        }
        return null;
    }

    /** A 2xx must be one of the types the route's document names, with a body of that type. */
    private static String promiseFault(FuzzCase request, RawHttp.Answer answer, String type) {
        if (request.method().equals("OPTIONS")) {
            return answer.header("allow") == null ? "OPTIONS answered without Allow" : null;
        }
        String method = request.method().equals("HEAD") ? "GET" : request.method();
        GatewayApi.Operation operation = operations.stream()
                .filter(candidate -> candidate.method().equals(method) && matches(candidate.path(), request.target()))
                .findFirst().orElse(null);
        if (operation == null) {
            return answer.status() + " for a route the document does not list: " + abbreviated(answer);
        }
        if (!operation.successTypes().contains(type)) {
            return operation + " answered " + type + ", not one of " + operation.successTypes();
        }
        if (request.method().equals("HEAD")) {
            return null;
        }
        byte[] body = answer.body();
        boolean fits = switch (type) {
            case "image/png" -> body.length > 8 && (body[0] & 0xff) == 0x89 && body[1] == 'P' && body[2] == 'N';
            case "application/x-npy" -> body.length > 10 && (body[0] & 0xff) == 0x93 && body[1] == 'N';
            case "application/json" -> isJson(body);
            default -> true;
        };
        return fits ? null : operation + " answered a body that is not " + type + ": " + abbreviated(answer);
    }

    private static boolean isJson(byte[] body) {
        try {
            CheckpointRecord.json().readTree(body);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether the target's path is the template's as the server routes it: Vert.x removes dot segments (also
     * encoded ones) and repeated slashes, and JAX-RS ignores matrix parameters and a last '/'.
     */
    private static boolean matches(String template, String target) {
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        List<String> segments = new ArrayList<>();
        for (String segment : path.replaceAll("(?i)%2e", ".").split("/")) {
            String name = segment.replaceAll(";.*", "");
            if (name.equals("..")) {
                if (!segments.isEmpty()) {
                    segments.remove(segments.size() - 1);
                }
            } else if (!name.isEmpty() && !name.equals(".")) {
                segments.add(name);
            }
        }
        return ("/" + String.join("/", segments)).matches(template.replaceAll("\\{[^}]+}", "[^/]+")
                .replace(".", "\\."));
    }

    private static String baseType(String contentType) {
        return contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    }

    private static String abbreviated(RawHttp.Answer answer) {
        String text = answer.text();
        return answer.status() + " " + answer.headers() + " " + (text.length() <= 300 ? text
                : text.substring(0, 300) + "…");
    }

    // ---- what the fuzzer draws ----

    private static Gen<FuzzCase> requests() {
        Gen<List<String>> headers = keyHeader().zip(typeHeaders(), extraHeader(), (key, types, extra) -> {
            List<String> all = new ArrayList<>(key);
            all.addAll(types);
            all.addAll(extra);
            return all;
        });
        return Generate.pick(operations).flatMap(route -> method(route).zip(target(route), headers, body(),
                Generate.booleans(), (method, target, head, body, chunked) ->
                        new FuzzCase(route.toString(), method, target, head, body, chunked)));
    }

    @SafeVarargs
    private static <T> Gen<T> pick(T... values) {
        return Generate.pick(List.of(values));
    }

    private static Gen<String> method(GatewayApi.Operation route) {
        return Generate.frequency(Pair.of(7, Generate.constant(route.method())), Pair.of(3, Generate.pick(METHODS)));
    }

    /** The route's path (or, one time in ten, an invented one) with a query drawn from its parameters. */
    private static Gen<String> target(GatewayApi.Operation route) {
        Gen<String> path = pathOf(route);
        Gen<String> invented = pick("/api/v1/", "/api/v1/nothing", "/api/v2/images", "/api/v1/images/",
                "/api/v1//models", "/api/v1/models/../training", "/api/v1/images/x/../../models", "/api/v1/IMAGES",
                "/api/v1/images;x=1", "/api/v1/models/%2e%2e/training", "/api/v1/training/checkpoints//samples.png");
        Gen<String> query = queryOf(route);
        return Generate.frequency(Pair.of(9, path), Pair.of(1, invented)).zip(query, Generate.range(0, 9),
                (p, q, shape) -> shape == 0 ? p : q.isEmpty() && shape < 3 ? p + "?" : q.isEmpty() ? p
                        : p + "?" + q);
    }

    private static Gen<String> pathOf(GatewayApi.Operation route) {
        List<GatewayApi.Parameter> inPath = route.parameters().stream()
                .filter(parameter -> parameter.in().equals("path")).toList();
        if (inPath.isEmpty()) {
            return Generate.constant(route.path());
        }
        GatewayApi.Parameter parameter = inPath.get(0);
        return encoded(value(parameter), true).map(value -> route.path().replace("{" + parameter.name() + "}", value));
    }

    /** Some of the route's parameters (required ones now and then left out), repeated now and then, and strangers. */
    private static Gen<String> queryOf(GatewayApi.Operation route) {
        List<Gen<String>> pairs = new ArrayList<>();
        for (GatewayApi.Parameter parameter : route.parameters()) {
            if (!parameter.in().equals("query")) {
                continue;
            }
            Gen<String> pair = encoded(value(parameter), false).map(value -> parameter.name() + "=" + value);
            pairs.add(Generate.frequency(Pair.of(parameter.required() ? 1 : 4, Generate.constant("")),
                    Pair.of(parameter.required() ? 8 : 5, pair),
                    Pair.of(1, pair.zip(pair, (first, second) -> first + "&" + second))));
        }
        Gen<String> stranger = pick("cnt", "SEED", "", "count[]", "a", "seed%20", "%zz", "\u00e9", "x".repeat(300))
                .zip(encoded(anyValue(), false), (name, value) -> name + "=" + value);
        pairs.add(Generate.frequency(Pair.of(8, Generate.constant("")), Pair.of(2, stranger),
                Pair.of(1, pick("&", "&&", "=", "=x", "noequals", ";", "a=1;b=2"))));
        Gen<List<String>> parts = Generate.constant(List.of());
        for (Gen<String> pair : pairs) {
            parts = parts.zip(pair, (before, next) -> {
                List<String> joined = new ArrayList<>(before);
                joined.add(next);
                return joined;
            });
        }
        return parts.map(all -> all.stream().filter(part -> !part.isEmpty()).collect(Collectors.joining("&")));
    }

    /** A value for the parameter: usually one of its own kind, often a wrong one. */
    private static Gen<String> value(GatewayApi.Parameter parameter) {
        Gen<String> ownKind;
        if (!parameter.choices().isEmpty()) {
            ownKind = Generate.pick(parameter.choices()).flatMap(choice -> pick(choice,
                    choice.toUpperCase(Locale.ROOT), " " + choice));
        } else if (parameter.type().equals("integer")) {
            ownKind = Generate.longRange(-3, 70).map(number -> Long.toString(number));
        } else {
            ownKind = pick("ship", "no-ship", "cat", "ship.v2", "-ship", "a".repeat(65));
        }
        return Generate.frequency(Pair.of(6, ownKind), Pair.of(4, anyValue()));
    }

    /** Wrong types, extremes of numbers, long strings, any Unicode, control characters. */
    private static Gen<String> anyValue() {
        Gen<String> numbers = pick("9223372036854775807", "9223372036854775808", "-9223372036854775808",
                "-9223372036854775809", "-1", "0", "-0", "+7", " 7", "7 ", "1e3", "1.5", "NaN", "Infinity", "-Infinity",
                "0x10", "1_000", "\u0663", "١٢", "99999999999999999999999999999999", "1e400", "", "null", "true",
                "[]", "{}", "\"7\"");
        Gen<String> longs = Generate.longRange(Long.MIN_VALUE, Long.MAX_VALUE).map(number -> Long.toString(number));
        Gen<String> unicode = strings().allPossible().ofLengthBetween(0, 40);
        Gen<String> controls = strings().betweenCodePoints(0, 0x1f).ofLengthBetween(1, 4);
        Gen<String> long1 = longText(1_000, 20_000, 'a', 'z');
        return Generate.frequency(Pair.of(4, numbers), Pair.of(2, longs), Pair.of(3, unicode), Pair.of(1, controls),
                Pair.of(1, long1));
    }

    /**
     * The value as it goes into the target: percent-encoded as UTF-8 (most often), raw (non-ASCII and control
     * characters as they are; only the bytes that split the request line for Netty, space, tab, VT, FF, CR and LF,
     * become '+'), or with a bad escape put in.
     */
    private static Gen<String> encoded(Gen<String> values, boolean inPath) {
        return values.zip(Generate.range(0, 9), pick("%zz", "%", "%G1", "%C3%28", "%C3", "%ED%A0%80", "%00", "%%"),
                (value, mode, bad) -> switch (mode) {
                    case 0, 1 -> value.replaceAll("[ \\t\\x0B\\f\\r\\n]", "+");
                    case 2 -> encode(value, inPath) + bad;
                    default -> encode(value, inPath);
                });
    }

    private static String encode(String value, boolean inPath) {
        String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
        return inPath ? encoded.replace("+", "%20") : encoded;
    }

    private static Gen<List<String>> keyHeader() {
        Gen<String> wrong = strings().betweenCodePoints('!', '~').ofLengthBetween(1, 80);
        return Generate.frequency(
                Pair.of(2, Generate.constant(List.of())),
                Pair.of(2, wrong.map(key -> List.of(GatewayKeys.HEADER + ": " + key))),
                Pair.of(4, Generate.constant(List.of(GatewayKeys.HEADER + ": " + GatewayKeys.USER))),
                Pair.of(4, Generate.constant(List.of(GatewayKeys.HEADER + ": " + GatewayKeys.ADMIN))),
                Pair.of(1, Generate.constant(List.of(GatewayKeys.HEADER + ":"))),
                Pair.of(1, Generate.constant(List.of(GatewayKeys.HEADER + ": " + GatewayKeys.USER,
                        GatewayKeys.HEADER + ": " + GatewayKeys.ADMIN))));
    }

    private static Gen<List<String>> typeHeaders() {
        Gen<String> accept = pick("", "*/*", "image/png", "application/x-npy", "application/json",
                "text/html", "application/problem+json", "image/*", "application/xml, text/plain;q=0.1", ";;;",
                "image/png;q=abc", "*/*;q=0", "x".repeat(2_000));
        Gen<String> contentType = pick("", "application/json", "text/plain", ";;;",
                "application/json; charset=utf-999", "multipart/form-data", "application/x-www-form-urlencoded",
                "image/png", "application/json;;", "/", "a/b/c");
        return accept.zip(contentType, (a, c) -> {
            List<String> headers = new ArrayList<>();
            if (!a.isEmpty()) {
                headers.add("Accept: " + a);
            }
            if (!c.isEmpty()) {
                headers.add("Content-Type: " + c);
            }
            return headers;
        });
    }

    /**
     * A long text of characters drawn from a length and a seed, so that it costs two draws, not one per character,
     * and shrinks by its length and seed.
     */
    private static Gen<String> longText(int minLength, int maxLength, char from, char to) {
        return Generate.range(minLength, maxLength).zip(Generate.longRange(Long.MIN_VALUE, Long.MAX_VALUE),
                (length, seed) -> {
                    Random random = new Random(seed);
                    StringBuilder text = new StringBuilder(length);
                    for (int i = 0; i < length; i++) {
                        text.append((char) (from + random.nextInt(to - from + 1)));
                    }
                    return text.toString();
                });
    }

    /** Now and then a header of the fuzzer's own, up to 20 000 characters (the gateway allows 16 384 bytes). */
    private static Gen<List<String>> extraHeader() {
        Gen<String> value = longText(0, 20_000, ' ', '~');
        return Generate.frequency(Pair.of(9, Generate.constant(List.of())),
                Pair.of(1, value.map(text -> List.of("X-Fuzz: " + text.trim()))));
    }

    private static Gen<byte[]> body() {
        Gen<byte[]> reason = anyValue().map(text -> ("{\"reason\": \"" + text.replace("\\", "\\\\")
                .replace("\"", "\\\"") + "\"}").getBytes(StandardCharsets.UTF_8));
        Gen<byte[]> bytes = Generate.range(1, 3_000).zip(Generate.longRange(Long.MIN_VALUE, Long.MAX_VALUE),
                (length, seed) -> {
                    byte[] random = new byte[length];
                    new Random(seed).nextBytes(random);
                    return random;
                });
        Gen<byte[]> large = Generate.range(16_000, 24_000).map(size -> new byte[size]);
        return Generate.frequency(Pair.of(6, Generate.constant(new byte[0])), Pair.of(2, reason), Pair.of(1, bytes),
                Pair.of(1, large));
    }

    /**
     * What the gateway cannot answer with a problem: requests that Netty's decoder refuses before any handler of
     * Vert.x or Quarkus runs (Quarkus offers no hook for Vert.x's invalid-request handler), which get an empty 400,
     * 414 or 431. The fuzzer draws none of these; they are reported so the residue stays visible.
     */
    @Test
    void codecLevelRefusalsAreReportedAsTheResidue() throws IOException {
        Map<String, String> requests = new java.util.LinkedHashMap<>();
        requests.put("a VT byte in the target", "GET /api/v1/images?seed=1\u000b2 HTTP/1.1\r\nHost: g\r\n");
        requests.put("a non-numeric Content-Length", "POST /api/v1/models/rollback HTTP/1.1\r\nHost: g\r\n"
                + "Content-Length: abc\r\n");
        requests.put("a request line over 64 KiB", "GET /api/v1/images?seed=" + "1".repeat(70_000)
                + " HTTP/1.1\r\nHost: g\r\n");
        requests.put("a head over 64 KiB", "GET /api/v1/images HTTP/1.1\r\nHost: g\r\nX-Big: "
                + "b".repeat(70_000) + "\r\n");
        List<String> answers = new ArrayList<>();
        for (Map.Entry<String, String> request : requests.entrySet()) {
            RawHttp.Answer answer = RawHttp.exchange(stack.gateway.port(), (request.getValue()
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            assertTrue(answer.status() >= 400 && answer.status() < 500, request.getKey() + ": " + answer.status());
            answers.add(request.getKey() + " → " + answer.status() + (answer.body().length == 0 ? " empty"
                    : " " + baseType(answer.header("content-type"))));
        }
        Promises.report(FUZZ, "refused by the HTTP codec before the gateway (not fuzzed)", String.join("; ", answers));
    }

    // ---- promise 8: access control, from the same document ----

    @Test
    void everyOperationRefusesMissingAndWrongKeysAndStateChangesRefuseUserKeys() throws IOException {
        for (GatewayApi.Operation operation : operations) {
            String target = operation.path().replaceAll("\\{[^}]+}", "1");
            expectRefusal(operation, target, List.of(), 401, "no key");
            expectRefusal(operation, target, List.of(GatewayKeys.HEADER + ": " + GatewayKeys.USER + "x"), 401,
                    "wrong key");
            expectRefusal(operation, target, List.of(GatewayKeys.HEADER + ": " + GatewayKeys.ADMIN.substring(1)), 401,
                    "wrong key");
            if (operation.changesState()) {
                expectRefusal(operation, target, List.of(GatewayKeys.HEADER + ": " + GatewayKeys.USER), 403,
                        "user key");
            } else {
                expectPast(operation, target, GatewayKeys.USER, "user key");
            }
            expectPast(operation, target, GatewayKeys.ADMIN, "admin key");
        }
        assertEquals(List.of(), accessFailures);
    }

    private static void expectRefusal(GatewayApi.Operation operation, String target, List<String> headers,
                                      int status, String what) throws IOException {
        RawHttp.Answer answer = send(operation, target, headers);
        accessChecks++;
        boolean refused = answer.status() == status
                && "application/problem+json".equals(baseType(answer.header("content-type")))
                && (status != 401 || answer.header("www-authenticate") != null);
        if (!refused) {
            accessFailures.add(operation + " with " + what + ": expected a " + status + " problem"
                    + (status == 401 ? " with WWW-Authenticate" : "") + ", got " + abbreviated(answer));
        }
    }

    private static void expectPast(GatewayApi.Operation operation, String target, String key, String what)
            throws IOException {
        RawHttp.Answer answer = send(operation, target, List.of(GatewayKeys.HEADER + ": " + key));
        accessChecks++;
        if (answer.status() == 401 || answer.status() == 403) {
            accessFailures.add(operation + " with " + what + ": refused, " + abbreviated(answer));
        }
    }

    private static RawHttp.Answer send(GatewayApi.Operation operation, String target, List<String> headers)
            throws IOException {
        String query = operation.parameters().stream()
                .filter(parameter -> parameter.in().equals("query") && parameter.required())
                .map(parameter -> parameter.name() + "=1").collect(Collectors.joining("&"));
        FuzzCase request = new FuzzCase(operation.toString(), operation.method(),
                query.isEmpty() ? target : target + "?" + query, headers, new byte[0], false);
        return RawHttp.exchange(stack.gateway.port(), request.bytes());
    }
}
