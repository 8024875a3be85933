package io.shipgan.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OpenAPI document describes the API-key scheme, the parameters with their ranges and the problem answers. */
@QuarkusTest
@QuarkusTestResource(value = FakeGeneratorResource.class, restrictToAnnotatedClass = true)
class OpenApiTest {

    @Test
    void describesTheApiKeySchemeAndWhichRoutesNeedIt() {
        JsonPath document = openApi();

        assertEquals("ShipGAN gateway API", document.getString("info.title"));
        assertEquals(Map.of("type", "apiKey", "in", "header", "name", "X-API-Key"),
                withoutDescription(document.getMap("components.securitySchemes.ApiKey")));
        Map<String, String> roleByOperation = Map.of(
                "'/api/v1/images'.get", "user",
                "'/api/v1/models'.get", "user",
                "'/api/v1/models/{version}/pin'.post", "admin",
                "'/api/v1/models/pin'.delete", "admin",
                "'/api/v1/training/start'.post", "admin");
        roleByOperation.forEach((operation, role) -> assertEquals(List.of(Map.of("ApiKey", List.of(role))),
                document.getList("paths." + operation + ".security"), operation));
        assertEquals("#/components/responses/Forbidden",
                document.getString("paths.'/api/v1/models/{version}/pin'.post.responses.'403'.$ref"));
        assertEquals("#/components/responses/Unauthorized",
                document.getString("paths.'/api/v1/images'.get.responses.'401'.$ref"));
    }

    @Test
    void describesTheImageParametersWithRangesAndExamples() {
        JsonPath document = openApi();
        List<Map<String, Object>> parameters = document.getList("paths.'/api/v1/images'.get.parameters");

        Map<String, Object> count = parameters.stream().filter(p -> "count".equals(p.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no count parameter in " + parameters));
        assertEquals("query", count.get("in"));
        assertEquals(Map.of("type", "integer", "minimum", 1, "maximum", 64, "default", 1), count.get("schema"));
        assertEquals(16, count.get("example"));
        assertEquals(List.of("count", "seed", "label", "format"), parameters.stream().map(p -> p.get("name")).toList());
    }

    @Test
    void describesProblemAnswersWithTheirSchema() {
        JsonPath document = openApi();

        assertEquals(List.of("type", "title", "status", "detail"),
                List.copyOf(document.getMap("components.schemas.Problem.properties").keySet()));
        assertEquals("#/components/schemas/Problem", document.getString(
                "components.responses.TooManyRequests.content.'application/problem+json'.schema.$ref"));
        assertTrue(document.getMap("components.responses.TooManyRequests.headers").containsKey("Retry-After"));
        assertEquals(401, document.getInt(
                "components.responses.Unauthorized.content.'application/problem+json'.examples.'no key'.value.status"));
    }

    @Test
    void servesSwaggerUi() {
        given().when().get("/q/swagger-ui/index.html").then().statusCode(200).body(containsString("swagger"));
    }

    private static JsonPath openApi() {
        return given().accept("application/json").when().get("/q/openapi?format=json")
                .then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, Object> withoutDescription(Map<String, Object> map) {
        Map<String, Object> copy = new HashMap<>(map);
        copy.remove("description");
        return copy;
    }
}
