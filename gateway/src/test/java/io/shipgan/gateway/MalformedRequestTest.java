package io.shipgan.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests that an HTTP client library would refuse to send, written as raw bytes on a socket: each is answered with a
 * problem that names what is wrong, where Vert.x and Quarkus alone would answer with an empty body.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeGeneratorResource.class, restrictToAnnotatedClass = true)
class MalformedRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void badPercentEscapesInQueryOrPathAreNamed() throws IOException {
        assertProblem(get("/api/v1/images?seed=%zz"), 400, "malformed percent-escape at position 20 ('%zz')");
        assertProblem(get("/api/v1/images?seed=%"), 400, "malformed percent-escape at position 20 ('%')");
        assertProblem(get("/api/v1/%zz"), 400, "malformed percent-escape at position 8 ('%zz')");
        assertProblem(get("/api/v1/images%"), 400, "malformed percent-escape at position 14 ('%')");
        assertProblem(get("/api/v1/images?label=%C3%28"), 400, "percent-escapes do not decode as UTF-8");
    }

    @Test
    void rawNonAsciiAndControlBytesInTheTargetAreNamed() throws IOException {
        Response query = send(("GET /api/v1/images?label=\u00e9 HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        assertProblem(query, 400, "raw byte 0xC3 at position 21");
        assertProblem(get("/api/v1/images?seed=1\u0001"), 400, "raw byte 0x01 at position 21");
        assertProblem(get("/api/v1/images\u007f"), 400, "raw byte 0x7F at position 14");
    }

    @Test
    void longTargetsAndLargeHeadsAre414And431Problems() throws IOException {
        assertProblem(get("/api/v1/images?seed=" + "1".repeat(9000)), 414,
                "the request target is 9020 characters long; at most 8192 are allowed");
        assertProblem(get("/api/v1/images", "X-Big: " + "b".repeat(17_000)), 431,
                "the request's header fields hold 17");
        assertProblem(get("/api/v1/images", "X-Many: 1\r\n".repeat(120).trim()), 431,
                "header fields; at most 100 are allowed");
    }

    @Test
    void aChunkedBodyOverTheLimitIs413ProblemAndASmallOneReachesTheGenerator() throws IOException {
        assertProblem(postChunked("x".repeat(20_000)), 413, "the request body is larger than 16384 bytes");

        Response small = postChunked("{\"reason\": \"chunked\"}");
        assertEquals(200, small.status(), small.body());
        assertEquals(Base64.getEncoder().encodeToString("{\"reason\": \"chunked\"}".getBytes(StandardCharsets.UTF_8)),
                JSON.readTree(small.body()).path("receivedBody").asText());
    }

    @Test
    void aChunkedFormBodyOnAReadIsIgnoredNotAServerError() throws IOException {
        String request = "GET /api/v1/models HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n"
                + "X-API-Key: " + TestKeys.USER + "\r\nContent-Type: multipart/form-data\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n1\r\n\u0000\r\n0\r\n\r\n";

        Response models = send(request.getBytes(StandardCharsets.ISO_8859_1));

        assertEquals(200, models.status(), models.body());
    }

    @Test
    void aMultipartBodyIsRefusedWith415InsteadOfWaitingForItsEnd() throws IOException {
        String request = "POST /api/v1/models/rollback HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n"
                + "X-API-Key: " + TestKeys.ADMIN + "\r\nContent-Type: multipart/form-data\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n3\r\n\u000bV\"\r\n0\r\n\r\n";

        assertProblem(send(request.getBytes(StandardCharsets.ISO_8859_1)), 415, "this gateway reads no multipart");
    }

    @Test
    void missingHostAndTargetsThatAreNoPathAreProblems() throws IOException {
        byte[] withoutHost = "GET /api/v1/images HTTP/1.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertProblem(send(withoutHost), 400, "an HTTP/1.1 request needs a Host header");
        assertProblem(get("api/v1/images"), 404, "no such resource");
        assertProblem(get("*"), 404, "no such resource");
    }

    @Test
    void wrongMethodIs405WithAllowHeader() throws IOException {
        Response put = request("PUT", "/api/v1/images", "X-API-Key: " + TestKeys.USER);
        assertProblem(put, 405, "method PUT is not allowed here; this route takes GET, HEAD, OPTIONS");
        assertEquals("GET, HEAD, OPTIONS", put.headers().get("allow"));

        Response get = request("GET", "/api/v1/models/7/pin", "X-API-Key: " + TestKeys.ADMIN);
        assertProblem(get, 405, "this route takes OPTIONS, POST");
        assertEquals("OPTIONS, POST", get.headers().get("allow"));
    }

    @Test
    void unacceptableTypesAreToldOnlyToCallersWhoMayUseTheRoute() throws IOException {
        assertProblem(request("GET", "/api/v1/models", "Accept: text/html"), 401, "needs an API key");
        assertProblem(request("GET", "/api/v1/models", "Accept: text/html", "X-API-Key: wrong"), 401, "not valid");
        assertProblem(request("POST", "/api/v1/training/start", "Accept: text/html", "X-API-Key: " + TestKeys.USER),
                403, "may not use this route");
        assertProblem(request("GET", "/api/v1/models", "Accept: text/html", "X-API-Key: " + TestKeys.USER), 406,
                "the Accept header 'text/html'");
        assertProblem(request("POST", "/api/v1/models/rollback", "Content-Type: ;;;", "Content-Length: 2",
                "X-API-Key: " + TestKeys.ADMIN), 415, "the Content-Type ';;;'");
    }

    private Response get(String target, String... headers) throws IOException {
        return request("GET", target, headers);
    }

    private Response request(String method, String target, String... headers) throws IOException {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: gateway\r\nConnection: close\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        String body = method.equals("POST") && String.join("\n", headers).contains("Content-Length: 2") ? "{}" : "";
        return send((head + "\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
    }

    private Response postChunked(String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String request = "POST /api/v1/models/rollback HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n"
                + "X-API-Key: " + TestKeys.ADMIN + "\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(bytes.length) + "\r\n" + body
                + "\r\n0\r\n\r\n";
        return send(request.getBytes(StandardCharsets.UTF_8));
    }

    private Response send(byte[] request) throws IOException {
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return Response.read(socket.getInputStream());
        }
    }

    private static void assertProblem(Response response, int status, String detailPart) throws IOException {
        assertEquals(status, response.status(), response.body());
        assertEquals("application/problem+json", response.headers().get("content-type"), response.body());
        JsonNode problem = JSON.readTree(response.body());
        assertEquals(status, problem.path("status").asInt());
        assertFalse(problem.path("title").asText().isEmpty(), response.body());
        assertTrue(problem.path("detail").asText().contains(detailPart), response.body());
        assertFalse(response.body().contains("Exception") || response.body().contains("127.0.0.1"), response.body());
    }

    /** A whole answer read until the gateway closes the connection. */
    record Response(int status, Map<String, String> headers, String body) {

        static Response read(InputStream in) throws IOException {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, end).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                String name = lines[i].substring(0, colon).toLowerCase(Locale.ROOT);
                headers.put(name, lines[i].substring(colon + 1).trim());
            }
            String body = text.substring(end + 4);
            if ("chunked".equals(headers.get("transfer-encoding"))) {
                body = unchunked(body);
            }
            return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
        }

        private static String unchunked(String chunked) {
            StringBuilder body = new StringBuilder();
            int at = 0;
            while (true) {
                int lineEnd = chunked.indexOf("\r\n", at);
                int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
                if (size == 0) {
                    return body.toString();
                }
                body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
                at = lineEnd + 2 + size + 2;
            }
        }
    }
}
