package io.shipgan.gateway;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web page's files as the gateway serves them: the page at {@code /}, its module, style and icon, all loaded
 * from the gateway itself. What the page does in a browser is proven by the system tests' page test.
 */
@QuarkusTest
class WebPageTest {

    private static final Pattern REFERENCE = Pattern.compile("(?:src|href)=\"([^\"]+)\"");
    private static final Pattern IMPORT = Pattern.compile("from '([^']+)'");

    @Test
    void servesThePageWithTheDataCreditAndAStrictContentSecurityPolicy() {
        String page = given().when().get("/")
                .then().statusCode(200)
                .contentType(startsWith("text/html"))
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .header("Content-Security-Policy", containsString("img-src 'self' blob:"))
                .header("X-Content-Type-Options", "nosniff")
                .body(containsString("<title>ShipGAN</title>"))
                .extract().asString();

        assertTrue(page.contains("Imagery: Planet Labs, Open California, CC BY-SA 4.0"), "the data credit");
    }

    @Test
    void servesEveryFileThePageReferencesFromTheGatewayItself() {
        String page = given().when().get("/").then().statusCode(200).extract().asString();
        List<String> references = matches(REFERENCE, page);
        assertEquals(List.of("assets/favicon.svg", "assets/style.css", "assets/app.js", "#main", "assets/favicon.svg"),
                references);

        given().when().get("/assets/app.js").then().statusCode(200).contentType(containsString("javascript"));
        given().when().get("/assets/style.css").then().statusCode(200).contentType(startsWith("text/css"));
        given().when().get("/assets/favicon.svg").then().statusCode(200).contentType(startsWith("image/svg+xml"));
    }

    @Test
    void scriptsImportOnlyTheirOwnModulesAndCallOnlyTheGatewaysApi() {
        String app = given().when().get("/assets/app.js").then().statusCode(200).extract().asString();
        assertEquals(List.of("./api.js"), matches(IMPORT, app));
        String api = given().when().get("/assets/api.js").then().statusCode(200)
                .contentType(containsString("javascript")).extract().asString();
        String style = given().when().get("/assets/style.css").then().statusCode(200).extract().asString();

        for (String file : List.of(app, api, style)) {
            assertFalse(file.contains("http://") || file.contains("https://") || file.contains("url("),
                    "a file of the page names another origin or loads a resource");
        }
        for (String route : List.of("/api/v1/images?", "/api/v1/images/interpolation?", "/api/v1/models",
                "/api/v1/training", "/api/v1/training/history", "/api/v1/training/curves.png")) {
            assertTrue(app.contains(route), "the page uses " + route);
        }
        assertTrue(api.contains("'X-API-Key'"), "the key header the gateway reads");
    }

    private static List<String> matches(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }
}
