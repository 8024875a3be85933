package io.shipgan.gateway.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The methods each REST route takes and the roles each may be called with, read once from the resources' JAX-RS and
 * security annotations. JAX-RS refuses a method (405) without the {@code Allow} header RFC 9110 section 15.5.6 asks
 * for, and refuses an unacceptable type (406, 415) before the role check, without saying which method it matched;
 * this table answers both.
 */
final class RouteTable {

    /** The gateway's REST resources; a new one goes here too (the access-control system test checks the list). */
    private static final List<Class<?>> RESOURCES = List.of(ImagesResource.class, ModelsResource.class,
            TrainingResource.class);

    /** Path template as a pattern (each {@code {name}} one segment) → method → the roles allowed to call it. */
    private static final Map<Pattern, Map<String, Set<String>>> ROUTES = readRoutes();

    private RouteTable() {
    }

    /**
     * The {@code Allow} value for a request path, e.g. {@code GET, HEAD, OPTIONS}; empty when no route has it. HEAD
     * and OPTIONS are there because JAX-RS answers them for every GET route and every route.
     */
    static Optional<String> allowedMethods(String path) {
        return methodsOf(path).map(methods -> {
            Set<String> allowed = new TreeSet<>(methods.keySet());
            if (allowed.contains(HttpMethod.GET)) {
                allowed.add(HttpMethod.HEAD);
            }
            allowed.add(HttpMethod.OPTIONS);
            return String.join(", ", allowed);
        });
    }

    /**
     * The roles that may call {@code method} on {@code path} (HEAD as GET); empty when no route matches or the route
     * names no roles.
     */
    static Set<String> rolesAllowed(String path, String method) {
        String asked = HttpMethod.HEAD.equals(method) ? HttpMethod.GET : method;
        return methodsOf(path).map(methods -> methods.getOrDefault(asked, Set.of())).orElse(Set.of());
    }

    private static Optional<Map<String, Set<String>>> methodsOf(String path) {
        String route = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return ROUTES.entrySet().stream().filter(entry -> entry.getKey().matcher(route).matches())
                .map(Map.Entry::getValue).findFirst();
    }

    private static Map<Pattern, Map<String, Set<String>>> readRoutes() {
        Map<Pattern, Map<String, Set<String>>> routes = new LinkedHashMap<>();
        for (Class<?> resource : RESOURCES) {
            String base = resource.getAnnotation(Path.class).value();
            for (Method method : resource.getMethods()) {
                String httpMethod = httpMethodOf(method);
                if (httpMethod == null) {
                    continue;
                }
                Path sub = method.getAnnotation(Path.class);
                String template = sub == null ? base : base + "/" + sub.value();
                RolesAllowed roles = method.isAnnotationPresent(RolesAllowed.class)
                        ? method.getAnnotation(RolesAllowed.class) : resource.getAnnotation(RolesAllowed.class);
                routes.computeIfAbsent(pattern(template), key -> new TreeMap<>())
                        .put(httpMethod, roles == null ? Set.of() : Set.of(roles.value()));
            }
        }
        return routes;
    }

    private static String httpMethodOf(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod httpMethod = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (httpMethod != null) {
                return httpMethod.value();
            }
        }
        return null;
    }

    /** {@code /api/v1/models/{version}/pin} → {@code \Q/api/v1/models/\E[^/]+\Q/pin\E}. */
    private static Pattern pattern(String template) {
        StringBuilder regex = new StringBuilder();
        for (String part : template.replaceAll("/+", "/").split("(?=\\{)|(?<=\\})")) {
            regex.append(part.startsWith("{") ? "[^/]+" : Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
