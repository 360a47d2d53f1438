package dev.wsrv.cluster.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A Lua script run by its SHA1 digest (EVALSHA), so that Redis is not sent its text on every call; when Redis does not
 * know it (NOSCRIPT: Redis restarted, or its script cache was flushed) the call is made again with the text (EVAL),
 * which also loads it for the calls that follow. Thread-safe.
 */
final class LuaScript {

    private final String text;
    private final ScriptOutputType output;
    private volatile String sha;

    LuaScript(String text, ScriptOutputType output) {
        this.text = text;
        this.output = output;
    }

    /**
     * Runs the script.
     *
     * @param redis the commands of a connection
     * @param reloaded runs when Redis did not know the script and it was sent again with its text
     * @param keys the keys
     * @param args the arguments
     * @return the script's answer
     */
    <T> CompletionStage<T> run(RedisAsyncCommands<String, String> redis, Runnable reloaded, String[] keys,
                               String... args) {
        String digest = sha;
        if (digest == null) {
            // Lettuce computes the digest locally, as Redis does
            digest = redis.digest(text);
            sha = digest;
        }
        CompletionStage<T> first = redis.evalsha(digest, output, keys, args);
        return first.handle((answer, e) -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (!(cause instanceof RedisNoScriptException)) {
                return e == null ? CompletableFuture.completedFuture(answer) : CompletableFuture.<T>failedFuture(cause);
            }
            reloaded.run();
            return redis.<T>eval(text, output, keys, args).toCompletableFuture();
        }).thenCompose(f -> f);
    }
}
