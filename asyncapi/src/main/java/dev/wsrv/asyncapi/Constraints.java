package dev.wsrv.asyncapi;

import jakarta.json.JsonObjectBuilder;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;

/**
 * Turns the Bean Validation constraints of a property into JSON Schema keywords: {@code @NotNull} makes it required,
 * {@code @Positive} an {@code exclusiveMinimum} of 0, {@code @Size} a {@code minLength}/{@code maxLength} (items for
 * arrays, properties for maps), and so on. Constraints without a schema keyword (such as {@code @Future}) are left
 * to the server, which stays the authority: a request the schema accepts may still get a 422.
 */
final class Constraints {

    private static final String PACKAGE = "jakarta.validation.constraints.";

    private Constraints() {
    }

    /**
     * Adds the keywords of the element's constraints to a property's schema.
     *
     * @param element the field, accessor or setter that carries the annotations
     * @param type the property's class
     * @param schema the property's schema
     * @return whether the property is required (not null)
     */
    static boolean apply(AnnotatedElement element, Class<?> type, JsonObjectBuilder schema) {
        boolean required = false;
        for (Annotation a : element.getAnnotations()) {
            String name = a.annotationType().getName();
            if (!name.startsWith(PACKAGE)) {
                continue;
            }
            switch (name.substring(PACKAGE.length())) {
                case "NotNull" -> required = true;
                case "NotBlank" -> {
                    required = true;
                    schema.add("minLength", 1).add("pattern", "\\S");
                }
                case "NotEmpty" -> {
                    required = true;
                    size(type, schema, 1, Integer.MAX_VALUE);
                }
                case "Size" -> size(type, schema, (Integer) Annotations.value(a, "min"),
                        (Integer) Annotations.value(a, "max"));
                case "Positive" -> schema.add("exclusiveMinimum", 0);
                case "PositiveOrZero" -> schema.add("minimum", 0);
                case "Negative" -> schema.add("exclusiveMaximum", 0);
                case "NegativeOrZero" -> schema.add("maximum", 0);
                case "Min" -> schema.add("minimum", (Long) Annotations.value(a, "value"));
                case "Max" -> schema.add("maximum", (Long) Annotations.value(a, "value"));
                case "DecimalMin" -> schema.add(Boolean.TRUE.equals(Annotations.value(a, "inclusive"))
                        ? "minimum" : "exclusiveMinimum", new BigDecimal((String) Annotations.value(a, "value")));
                case "DecimalMax" -> schema.add(Boolean.TRUE.equals(Annotations.value(a, "inclusive"))
                        ? "maximum" : "exclusiveMaximum", new BigDecimal((String) Annotations.value(a, "value")));
                // Bean Validation matches the whole value, JSON Schema any part of it
                case "Pattern" -> schema.add("pattern", "^(?:" + Annotations.value(a, "regexp") + ")$");
                case "Email" -> schema.add("format", "email");
                default -> {
                    // no schema keyword says it; the server checks it
                }
            }
        }
        return required;
    }

    private static void size(Class<?> type, JsonObjectBuilder schema, int min, int max) {
        String[] keywords = type.isArray() || Collection.class.isAssignableFrom(type)
                ? new String[] {"minItems", "maxItems"}
                : Map.class.isAssignableFrom(type) ? new String[] {"minProperties", "maxProperties"}
                : new String[] {"minLength", "maxLength"};
        if (min > 0) {
            schema.add(keywords[0], min);
        }
        if (max < Integer.MAX_VALUE) {
            schema.add(keywords[1], max);
        }
    }
}
