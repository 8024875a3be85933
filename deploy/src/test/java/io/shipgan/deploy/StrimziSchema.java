package io.shipgan.deploy;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.strimzi.crdgenerator.annotations.Maximum;
import io.strimzi.crdgenerator.annotations.Minimum;
import io.strimzi.crdgenerator.annotations.MinimumItems;
import io.strimzi.crdgenerator.annotations.Pattern;
import io.strimzi.crdgenerator.annotations.PresentInVersions;
import io.strimzi.crdgenerator.annotations.RequiredInVersions;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Checks Strimzi resources against the schema that Strimzi's own model classes declare for the v1 API: properties
 * that exist only in older versions (v1beta2's {@code operation} of an ACL rule, say), required properties, string
 * patterns and number and list bounds. Strimzi generates its CRDs' OpenAPI schemas from the same annotations.
 */
final class StrimziSchema {

    /** Strimzi's API versions, oldest first. */
    private static final List<String> VERSIONS = List.of("v1alpha1", "v1beta1", "v1beta2", "v1");
    private static final String TARGET = "v1";

    private static final ObjectMapper INTROSPECTION = new ObjectMapper();

    private StrimziSchema() {
    }

    /** Problems of one rendered resource, each prefixed with where it is; none for non-Strimzi resources. */
    static List<String> check(String where, Object resource) {
        List<String> problems = new ArrayList<>();
        if (isStrimzi(resource)) {
            walk(resource, where + ": ", problems);
        }
        return problems;
    }

    private static void walk(Object bean, String path, List<String> problems) {
        PresentInVersions typeVersions = bean.getClass().getAnnotation(PresentInVersions.class);
        if (typeVersions != null && !includesTarget(typeVersions.value())) {
            problems.add(path + "is a " + bean.getClass().getSimpleName() + ", which exists only in "
                    + typeVersions.value() + ", not in " + TARGET);
        }
        BeanDescription description = INTROSPECTION.getSerializationConfig()
                .introspect(INTROSPECTION.constructType(bean.getClass()));
        for (BeanPropertyDefinition property : description.findProperties()) {
            AnnotatedMember accessor = property.getAccessor();
            if (accessor == null) {
                continue;
            }
            Object value = accessor.getValue(bean);
            String at = path + "." + property.getName();
            checkProperty(property, schemaOf(bean.getClass(), property), value, at, problems);
            descend(value, at, problems);
        }
    }

    private static void checkProperty(BeanPropertyDefinition property, List<AnnotatedElement> schema, Object value,
            String at, List<String> problems) {
        PresentInVersions versions = annotation(schema, PresentInVersions.class);
        if (versions != null && !includesTarget(versions.value()) && isSet(value)) {
            problems.add(at + " is not part of the " + TARGET + " API (only " + versions.value() + ")");
        }
        RequiredInVersions required = annotation(schema, RequiredInVersions.class);
        boolean isRequired = property.isRequired() || required != null && includesTarget(required.value());
        if (isRequired && value == null) {
            problems.add(at + " is required");
        }
        Pattern pattern = annotation(schema, Pattern.class);
        if (pattern != null && value instanceof String text && !text.matches(pattern.value())) {
            problems.add(at + " is '" + text + "', which does not match " + pattern.value());
        }
        Minimum minimum = annotation(schema, Minimum.class);
        if (minimum != null && value instanceof Number number && number.doubleValue() < minimum.value()) {
            problems.add(at + " is " + number + ", below the minimum " + minimum.value());
        }
        Maximum maximum = annotation(schema, Maximum.class);
        if (maximum != null && value instanceof Number number && number.doubleValue() > maximum.value()) {
            problems.add(at + " is " + number + ", above the maximum " + maximum.value());
        }
        MinimumItems minimumItems = annotation(schema, MinimumItems.class);
        if (minimumItems != null && value instanceof Collection<?> items && items.size() < minimumItems.value()) {
            problems.add(at + " has " + items.size() + " items, fewer than " + minimumItems.value());
        }
    }

    private static void descend(Object value, String at, List<String> problems) {
        if (value instanceof Collection<?> items) {
            int index = 0;
            for (Object item : items) {
                descend(item, at + "[" + index++ + "]", problems);
            }
        } else if (value instanceof Map<?, ?> entries) {
            entries.forEach((key, item) -> descend(item, at + "." + key, problems));
        } else if (value != null && isStrimzi(value)) {
            walk(value, at, problems);
        }
    }

    /** The getter and the field behind a property: Strimzi annotates getters, the checks accept either. */
    private static List<AnnotatedElement> schemaOf(Class<?> type, BeanPropertyDefinition property) {
        List<AnnotatedElement> elements = new ArrayList<>();
        if (property.getGetter() != null) {
            elements.add(property.getGetter().getAnnotated());
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.getName().equals(property.getInternalName())) {
                    elements.add(field);
                }
            }
        }
        return elements;
    }

    private static <A extends Annotation> A annotation(List<AnnotatedElement> elements, Class<A> type) {
        return elements.stream()
                .map(element -> element.getAnnotation(type))
                .filter(a -> a != null)
                .findFirst()
                .orElse(null);
    }

    private static boolean isSet(Object value) {
        return value != null && !(value instanceof Collection<?> c && c.isEmpty())
                && !(value instanceof Boolean b && !b) && !(value instanceof Number n && n.doubleValue() == 0);
    }

    private static boolean isStrimzi(Object value) {
        return value.getClass().getName().startsWith("io.strimzi.") && !value.getClass().isEnum();
    }

    /** Whether a range such as "v1beta2", "v1+", "v1beta2+" or "v1alpha1-v1beta2" contains v1. */
    static boolean includesTarget(String ranges) {
        int target = VERSIONS.indexOf(TARGET);
        for (String range : ranges.split(",")) {
            String r = range.strip();
            if (r.endsWith("+")) {
                if (target >= version(r.substring(0, r.length() - 1))) {
                    return true;
                }
            } else if (r.contains("-")) {
                String[] bounds = r.split("-", 2);
                if (target >= version(bounds[0]) && target <= version(bounds[1])) {
                    return true;
                }
            } else if (r.equals(TARGET)) {
                return true;
            }
        }
        return false;
    }

    private static int version(String name) {
        int index = VERSIONS.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("unknown Strimzi API version " + name);
        }
        return index;
    }
}
