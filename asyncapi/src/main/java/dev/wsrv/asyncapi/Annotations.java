package dev.wsrv.asyncapi;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.InvocationTargetException;

/**
 * Reads annotations by their type's name, so that the Bean Validation and JSON-B APIs need not be on the class path
 * of a document that uses neither.
 */
final class Annotations {

    private Annotations() {
    }

    static Annotation named(AnnotatedElement element, String typeName) {
        for (Annotation a : element.getAnnotations()) {
            if (a.annotationType().getName().equals(typeName)) {
                return a;
            }
        }
        return null;
    }

    static Object value(Annotation a, String member) {
        if (a == null) {
            return null;
        }
        try {
            return a.annotationType().getMethod(member).invoke(a);
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
            return null;
        }
    }
}
