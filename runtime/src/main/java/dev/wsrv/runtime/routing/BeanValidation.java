package dev.wsrv.runtime.routing;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Bean Validation behind a plain function, so that the rest of the runtime never links against
 * {@code jakarta.validation} (which a server may lack).
 */
public final class BeanValidation {

    private BeanValidation() {
    }

    /**
     * Wraps a validator.
     *
     * @param validator the validator, passed as {@code Object} so callers need not link its type
     * @return a function listing the violations of a value, sorted by path
     */
    public static Function<Object, List<Problem>> of(Object validator) {
        Validator v = (Validator) validator;
        return value -> v.validate(value).stream()
                .map(BeanValidation::problem)
                .sorted(Comparator.comparing(Problem::path).thenComparing(Problem::message))
                .toList();
    }

    private static Problem problem(ConstraintViolation<Object> violation) {
        return new Problem(violation.getPropertyPath().toString(), violation.getMessage());
    }

    /**
     * Builds the default validator of the class path's Bean Validation provider.
     *
     * @return the validator, typed as {@code Object}
     * @throws RuntimeException when there is no provider
     */
    public static Object defaultValidator() {
        return jakarta.validation.Validation.buildDefaultValidatorFactory().getValidator();
    }
}
