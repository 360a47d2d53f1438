package dev.wsrv.it.core;

import dev.wsrv.Context;
import java.util.ArrayList;
import java.util.List;

/** Records the path of a request through the chain, in the session, so that the reply can show it. */
final class Trace {

    private Trace() {
    }

    static void add(Context ctx, String step) {
        List<String> trace = ctx.get("trace");
        if (trace == null) {
            trace = new ArrayList<>();
            ctx.set("trace", trace);
        }
        trace.add(step);
    }

    static List<String> take(Context ctx) {
        List<String> trace = ctx.remove("trace");
        return trace == null ? List.of() : trace;
    }
}
