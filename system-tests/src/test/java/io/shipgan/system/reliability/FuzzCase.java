package io.shipgan.system.reliability;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One fuzzed request to the gateway, kept as its parts so that the fuzzer can shrink each of them and print the
 * smallest failing request readably.
 *
 * @param operation the route it was drawn from, e.g. {@code GET /api/v1/images} ("unknown" for an invented path)
 * @param method    the method sent, not always the route's own
 * @param target    the request target as sent: path and query string, possibly badly encoded
 * @param headers   header lines ({@code Name: value}) besides Host and Connection
 * @param body      the body; empty for none
 * @param chunked   whether the body goes in chunks instead of with a Content-Length
 */
record FuzzCase(String operation, String method, String target, List<String> headers, byte[] body,
                boolean chunked) {

    /** The request as bytes; the target's characters are written as UTF-8, so a raw non-ASCII one stays raw. */
    byte[] bytes() {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        write(request, method + " ");
        request.writeBytes(target.getBytes(StandardCharsets.UTF_8));
        write(request, " HTTP/1.1\r\nHost: gateway.test\r\nConnection: close\r\n");
        for (String header : headers) {
            write(request, header + "\r\n");
        }
        if (body.length > 0 && chunked) {
            write(request, "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length) + "\r\n");
            request.writeBytes(body);
            write(request, "\r\n0\r\n\r\n");
        } else {
            if (body.length > 0) {
                write(request, "Content-Length: " + body.length + "\r\n");
            }
            write(request, "\r\n");
            request.writeBytes(body);
        }
        return request.toByteArray();
    }

    private static void write(ByteArrayOutputStream request, String text) {
        request.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Override
    public String toString() {
        return "FuzzCase[" + operation + "] " + method + " " + printable(target, 400)
                + "\n  headers " + headers.stream().map(header -> printable(header, 120)).toList()
                + "\n  body " + body.length + " bytes"
                + (chunked ? ", chunked" : "") + ": " + printable(new String(body, StandardCharsets.UTF_8), 120);
    }

    /** Java-escaped, cut to {@code max} characters with the full length named. */
    private static String printable(String text, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && i < max; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return text.length() <= max ? out.toString() : out + "… (" + text.length() + " characters)";
    }
}
