package io.shipgan.system.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.shipgan.checkpoint.CheckpointRecord;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The gateway's routes as its own OpenAPI document ({@code /q/openapi}) lists them, so new routes are covered too. */
final class GatewayApi {

    /** Methods that change state: every one needs the admin role. */
    static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");

    /**
     * One operation of the document.
     *
     * @param path         the path template, e.g. {@code /api/v1/models/{version}/pin}
     * @param method       the HTTP method in upper case
     * @param parameters   its path and query parameters
     * @param successTypes the media types of its 2xx answers, e.g. {@code image/png}
     */
    record Operation(String path, String method, List<Parameter> parameters, List<String> successTypes) {

        boolean changesState() {
            return STATE_CHANGING.contains(method);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /**
     * A parameter of an operation.
     *
     * @param name     its name
     * @param in       {@code path} or {@code query}
     * @param type     the schema type, e.g. {@code integer}, {@code string}
     * @param required whether the operation needs it
     * @param choices  the allowed words of an enumeration; empty otherwise
     */
    record Parameter(String name, String in, String type, boolean required, List<String> choices) {
    }

    private GatewayApi() {
    }

    /** Every operation under {@code /api/v1} in the gateway's document. */
    static List<Operation> read(String gatewayBaseUrl) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(gatewayBaseUrl + "/q/openapi?format=json"))
                        .timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("/q/openapi answered " + response.statusCode());
        }
        JsonNode document = CheckpointRecord.json().readTree(response.body());
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            if (!path.getKey().startsWith("/api/v1")) {
                continue;
            }
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                if (!method.getValue().isObject() || !method.getValue().has("responses")) {
                    continue;
                }
                operations.add(new Operation(path.getKey(), method.getKey().toUpperCase(Locale.ROOT),
                        parameters(method.getValue()), successTypes(method.getValue())));
            }
        }
        return operations;
    }

    private static List<Parameter> parameters(JsonNode operation) {
        List<Parameter> parameters = new ArrayList<>();
        for (JsonNode parameter : operation.path("parameters")) {
            String in = parameter.path("in").asText();
            if (!in.equals("path") && !in.equals("query")) {
                continue;
            }
            List<String> choices = new ArrayList<>();
            parameter.path("schema").path("enum").forEach(choice -> choices.add(choice.asText()));
            parameters.add(new Parameter(parameter.path("name").asText(), in,
                    parameter.path("schema").path("type").asText("string"),
                    parameter.path("required").asBoolean(false), choices));
        }
        return parameters;
    }

    private static List<String> successTypes(JsonNode operation) {
        List<String> types = new ArrayList<>();
        for (Map.Entry<String, JsonNode> response : operation.path("responses").properties()) {
            if (response.getKey().startsWith("2")) {
                response.getValue().path("content").fieldNames().forEachRemaining(types::add);
            }
        }
        return types;
    }
}
