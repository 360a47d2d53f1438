package dev.wsrv;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a CDI bean as the handler of one command.
 *
 * <p>The method's parameters may be a {@link Context} and at most one other parameter, which receives the
 * request's {@code data} bound with JSON-B (then checked with Bean Validation when a validator is present).
 * A return value becomes the response's {@code data}; a {@link java.util.concurrent.CompletionStage} answers
 * when it completes; a {@code void} method answers through the {@link Context}. The method may throw any
 * exception: a {@link WsException} keeps its status and message, anything else becomes status 500.
 *
 * <p>Commands are collected once at start-up. Two handlers for the same command fail the deployment, and the
 * error names both methods.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Command {

    /**
     * Returns the command name this method answers, exactly as clients send it in {@code cmd}.
     *
     * @return the non-empty command name
     */
    String value();
}
