package dev.wsrv;

/**
 * The response statuses the library itself uses, with their default messages.
 *
 * <p>Applications may use any other non-zero status for their own errors.
 */
public final class Status {

    /** Success. */
    public static final int OK = 0;
    /** No handler for the command, or the chain ended without an answer. */
    public static final int NOT_IMPLEMENTED = -1;
    /** The frame is not a JSON object, or {@code cmd}/{@code seqno} is missing or of the wrong type. */
    public static final int BAD_REQUEST = 400;
    /** The request's {@code data} could not be bound or failed validation. */
    public static final int INVALID_DATA = 422;
    /** The session exceeded its request rate, or has too many asynchronous requests unanswered. */
    public static final int TOO_MANY_REQUESTS = 429;
    /** An unexpected exception in a handler or middleware. */
    public static final int INTERNAL_ERROR = 500;

    /** Message of {@link #OK}. */
    public static final String OK_MSG = "ok";
    /** Message of {@link #NOT_IMPLEMENTED}. */
    public static final String NOT_IMPLEMENTED_MSG = "not implement";
    /** Message of {@link #BAD_REQUEST}. */
    public static final String BAD_REQUEST_MSG = "bad request";
    /** Message of {@link #INVALID_DATA}. */
    public static final String INVALID_DATA_MSG = "invalid data";
    /** Message of {@link #TOO_MANY_REQUESTS}. */
    public static final String TOO_MANY_REQUESTS_MSG = "too many requests";
    /** Message of {@link #INTERNAL_ERROR}. */
    public static final String INTERNAL_ERROR_MSG = "internal error";

    private Status() {
    }
}
