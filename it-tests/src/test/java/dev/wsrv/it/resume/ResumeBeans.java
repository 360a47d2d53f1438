package dev.wsrv.it.resume;

import dev.wsrv.Admission;
import dev.wsrv.Command;
import dev.wsrv.Context;
import dev.wsrv.Handshake;
import dev.wsrv.HandshakeAuthenticator;
import dev.wsrv.SessionClosed;
import dev.wsrv.SessionDetached;
import dev.wsrv.SessionOpened;
import dev.wsrv.SessionResumed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The beans of the resume tests: commands, an authenticator and a recorder of session events. */
final class ResumeBeans {

    static final Class<?>[] ALL = {Commands.class, Authenticator.class, Events.class};

    private ResumeBeans() {
    }

    /** Session ids, users, groups, attributes, and a command held until the test lets it go. */
    @ApplicationScoped
    public static class Commands {

        /** A name in request data. */
        public record Name(String name) {
        }

        static volatile CountDownLatch release = new CountDownLatch(0);
        static final List<String> HELD_STARTED = new CopyOnWriteArrayList<>();
        static final List<String> HELD_DONE = new CopyOnWriteArrayList<>();

        @Command("whoami")
        public Map<String, Object> whoami(Context ctx) {
            Object note = ctx.get("note");
            return Map.of("id", ctx.sessionId(), "user", ctx.user().orElse(""),
                    "note", note == null ? "" : note.toString());
        }

        @Command("login")
        public Map<String, String> login(Context ctx, Name user) {
            ctx.bindUser(user.name());
            return Map.of("user", user.name());
        }

        @Command("join")
        public Map<String, String> join(Context ctx, Name group) {
            ctx.join(group.name());
            return Map.of("group", group.name());
        }

        @Command("note")
        public Map<String, String> note(Context ctx, Name note) {
            ctx.set("note", note.name());
            return Map.of("note", note.name());
        }

        /** Waits until the test releases it, then records that it ran to its end. */
        @Command("held")
        public Map<String, String> held(Context ctx) throws InterruptedException {
            HELD_STARTED.add(ctx.sessionId());
            boolean released = release.await(20, TimeUnit.SECONDS);
            HELD_DONE.add(ctx.sessionId());
            return Map.of("released", String.valueOf(released));
        }
    }

    /** {@code ?user=NAME} names the principal; without it the session is anonymous. */
    @ApplicationScoped
    public static class Authenticator implements HandshakeAuthenticator {
        @Override
        public Admission authenticate(Handshake handshake) {
            return handshake.query("user").map(Admission::accept).orElseGet(Admission::accept);
        }
    }

    /** Records every session event; static, so that the records outlive the server. */
    @ApplicationScoped
    public static class Events {
        static final List<Object> ALL = new CopyOnWriteArrayList<>();

        void opened(@Observes SessionOpened e) {
            ALL.add(e);
        }

        void detached(@Observes SessionDetached e) {
            ALL.add(e);
        }

        void resumed(@Observes SessionResumed e) {
            ALL.add(e);
        }

        void closed(@Observes SessionClosed e) {
            ALL.add(e);
        }

        static <T> List<T> of(Class<T> type, String id) {
            return ALL.stream().filter(type::isInstance).map(type::cast)
                    .filter(e -> id.equals(idOf(e))).toList();
        }

        private static String idOf(Object e) {
            if (e instanceof SessionOpened o) {
                return o.id();
            }
            if (e instanceof SessionDetached d) {
                return d.id();
            }
            if (e instanceof SessionResumed r) {
                return r.id();
            }
            return ((SessionClosed) e).id();
        }
    }
}
