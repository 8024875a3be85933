package io.shipgan.gateway.edge;

import io.quarkus.logging.Log;
import io.shipgan.gateway.rest.Problem;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The gateway's first look at every request, before any route, the key check or a body is read: a request target
 * that is too long or not strictly percent-encoded UTF-8, or a head with too many or too large fields, is refused with
 * a problem that names what is wrong. Quarkus's own check of the target, which would refuse some of these first with
 * an empty 400, is switched off by {@link io.shipgan.gateway.GatewayMain} so that this check answers instead.
 */
@ApplicationScoped
public class StrictRequests {

    /** Runs before every other route, Quarkus's body-size check and the authentication included. */
    static final int ORDER = Integer.MIN_VALUE + 10;

    @Inject
    RequestLimitsConfig limits;

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        Problem problem = headProblem(request);
        if (problem == null) {
            problem = malformed(requestLineRefusal(request));
        }
        if (problem == null && !request.path().startsWith("/")) {
            problem = Problem.malformedRequest("the request target must be a path that starts with '/'");
        }
        if (problem == null) {
            context.next();
            return;
        }
        Log.debugf("refused a %s request before routing: %s", request.method(), problem.detail());
        EdgeProblems.endAndClose(context.response(), problem);
    }

    /** The 414 or 431 problem of a request head over the gateway's limits, or null. */
    private Problem headProblem(HttpServerRequest request) {
        int uriLength = request.uri().length();
        if (uriLength > limits.maxUriLength()) {
            return Problem.forStatus(414, "the request target is " + uriLength + " characters long; at most "
                    + limits.maxUriLength() + " are allowed");
        }
        int fields = 0;
        long bytes = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            fields++;
            bytes += header.getKey().length() + header.getValue().length();
        }
        if (fields > limits.maxHeaders()) {
            return Problem.forStatus(431, "the request has " + fields + " header fields; at most "
                    + limits.maxHeaders() + " are allowed");
        }
        if (bytes > limits.maxHeaderBytes()) {
            return Problem.forStatus(431, "the request's header fields hold " + bytes + " bytes; at most "
                    + limits.maxHeaderBytes() + " are allowed");
        }
        return null;
    }

    private static Problem malformed(String detail) {
        return detail == null ? null : Problem.malformedRequest(detail);
    }

    /**
     * Why the request line cannot be read as the gateway reads it (a target that is not strictly encoded, or an
     * HTTP/1.1 request without a Host), or null when it can.
     */
    static String requestLineRefusal(HttpServerRequest request) {
        String refusal = targetRefusal(request.uri());
        if (refusal == null && request.version() == HttpVersion.HTTP_1_1 && request.authority() == null) {
            refusal = "an HTTP/1.1 request needs a Host header";
        }
        return refusal;
    }

    /**
     * Why the request target is not strictly encoded, or null when it is: every character printable ASCII, every
     * {@code %} followed by two hex digits, and the percent-decoded path and query valid UTF-8.
     */
    static String targetRefusal(String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return "the request target has the raw byte 0x" + String.format("%02X", (int) c & 0xff)
                        + " at position " + i + "; control characters, spaces and non-ASCII characters must be "
                        + "percent-encoded as UTF-8";
            }
            if (c == '%' && !escapeAt(target, i)) {
                return "the request target has a malformed percent-escape at position " + i + " ('"
                        + target.substring(i, Math.min(target.length(), i + 3)) + "'); '%' must be followed by two "
                        + "hex digits, and a literal '%' is written %25";
            }
        }
        if (!decodesAsUtf8(target)) {
            return "the request target's percent-escapes do not decode as UTF-8";
        }
        return null;
    }

    /** Whether {@code target} has {@code %} and two hex digits at {@code i}. */
    private static boolean escapeAt(String target, int i) {
        return i + 2 < target.length() && isHex(target.charAt(i + 1)) && isHex(target.charAt(i + 2));
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0 && c < 0x80;
    }

    /** Whether the bytes the target's escapes stand for, with its other characters, are valid UTF-8. */
    private static boolean decodesAsUtf8(String target) {
        ByteBuffer bytes = ByteBuffer.allocate(target.length());
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '%') {
                bytes.put((byte) Integer.parseInt(target, i + 1, i + 3, 16));
                i += 2;
            } else {
                bytes.put((byte) c);
            }
        }
        bytes.flip();
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
