package dev.wsrv.runtime.routing;

import dev.wsrv.Command;
import dev.wsrv.CommandData;
import dev.wsrv.Context;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Turns a {@link Command} method into a prepared chain step: the reflection happens here, once, and the step
 * calls a method handle.
 */
public final class CommandInvoker {

    private CommandInvoker() {
    }

    /**
     * Checks that a method can be a command handler.
     *
     * @param method the method
     * @return the problems, empty when it is fine
     */
    public static List<String> problems(Method method) {
        List<String> problems = new ArrayList<>();
        String where = describe(method);
        Command command = method.getAnnotation(Command.class);
        if (command != null && command.value().isEmpty()) {
            problems.add(where + ": @Command needs a non-empty name");
        }
        int data = 0;
        for (Class<?> p : method.getParameterTypes()) {
            if (p != Context.class) {
                data++;
            }
        }
        if (data > 1) {
            problems.add(where + ": a command method takes at most one data parameter besides Context");
        }
        return problems;
    }

    /**
     * Names a method as {@code Class.method} for messages.
     *
     * @param method the method
     * @return its description
     */
    public static String describe(Method method) {
        return method.getDeclaringClass().getName() + "." + method.getName();
    }

    static RouteCatalog.CommandRoute route(String cmd, Method method) {
        Type data = null;
        for (Type t : method.getGenericParameterTypes()) {
            if (t != Context.class) {
                data = t;
            }
        }
        CommandData declared = method.getAnnotation(CommandData.class);
        if (declared != null) {
            data = declared.value();
        }
        Type reply = method.getGenericReturnType();
        if (reply == void.class) {
            reply = null;
        } else if (CompletionStage.class.isAssignableFrom(method.getReturnType())) {
            // the reply is what the stage (CompletionStage<T>, CompletableFuture<T>) completes with; a raw one says
            // nothing about it
            reply = reply instanceof ParameterizedType p && p.getActualTypeArguments().length == 1
                    ? p.getActualTypeArguments()[0] : null;
        }
        return new RouteCatalog.CommandRoute(cmd, true, data, reply);
    }

    static Step step(Object target, Method method) {
        MethodHandle handle;
        try {
            method.setAccessible(true);
            handle = MethodHandles.lookup().unreflect(method);
        } catch (IllegalAccessException | RuntimeException e) {
            throw new IllegalStateException("cannot call " + describe(method) + ": " + e.getMessage(), e);
        }
        if (!Modifier.isStatic(method.getModifiers())) {
            handle = handle.bindTo(target);
        }
        int n = method.getParameterCount();
        MethodHandle invoker = handle.asSpreader(Object[].class, n)
                .asType(MethodType.methodType(Object.class, Object[].class));
        Type[] types = method.getGenericParameterTypes();
        Class<?>[] raw = method.getParameterTypes();
        boolean[] isContext = new boolean[n];
        for (int i = 0; i < n; i++) {
            isContext[i] = raw[i] == Context.class;
        }
        boolean returnsValue = method.getReturnType() != void.class;
        return ctx -> {
            Object[] args = new Object[n];
            for (int i = 0; i < n; i++) {
                args[i] = isContext[i] ? ctx : ctx.bind(types[i]);
            }
            Object result;
            try {
                result = (Object) invoker.invokeExact(args);
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            if (returnsValue) {
                ctx.returned(result);
            }
        };
    }
}
