package dev.wsrv.runtime.session;

/**
 * What a resumable session has besides a plain one: its push log, its current token, the principal it is bound to,
 * and while it has no connection, when its window ends and how its connection was lost. Thread-safe.
 */
final class Resumable {

    private final PushLog log;
    private final String principal;
    private final Resumption owner;
    private volatile ResumeToken token;
    private volatile long expiresAt;
    private volatile int dropCode;
    private volatile String dropReason = "";

    Resumable(Resumption owner, PushLog log, String principal, ResumeToken token) {
        this.owner = owner;
        this.log = log;
        this.principal = principal;
        this.token = token;
    }

    Resumption owner() {
        return owner;
    }

    PushLog log() {
        return log;
    }

    /** The principal's name, {@code ""} for an anonymous session, which only an anonymous resume matches. */
    String principal() {
        return principal;
    }

    ResumeToken token() {
        return token;
    }

    /** A resume uses the token up: the next one needs the new token. */
    void token(ResumeToken next) {
        this.token = next;
    }

    void detached(long at, int code, String reason) {
        this.expiresAt = at;
        this.dropCode = code;
        this.dropReason = reason;
    }

    long expiresAt() {
        return expiresAt;
    }

    int dropCode() {
        return dropCode;
    }

    String dropReason() {
        return dropReason;
    }
}
