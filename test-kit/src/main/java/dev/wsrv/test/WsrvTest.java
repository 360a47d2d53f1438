package dev.wsrv.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against an embedded wsrv server with the given beans, on a free port of 127.0.0.1.
 *
 * <p>Test and lifecycle methods declare what they need as parameters: {@code WsrvClient} (connected for the current
 * test and closed after it), {@link PushRecorder} (the pushes that client receives), {@code EmbeddedServer} and
 * {@code URI} (the server's {@code ws://} address). The server starts before the class's first test and stops after
 * its last, or around every test with {@link #perMethod()}. Settings beyond the beans (limits, timeouts, code
 * handlers) are set up with {@link WsrvTestExtension#perClass} in a {@code @RegisterExtension} field instead.
 *
 * <pre>{@code
 * @WsrvTest(beans = ChatCommands.class)
 * class ChatTest {
 *     @Test
 *     void join(WsrvClient client, PushRecorder pushes) {
 *         client.call("join", Map.of("room", "lobby"));
 *         assertEquals("lobby", pushes.await("joined").data().asJsonObject().getString("room"));
 *     }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(WsrvTestExtension.class)
public @interface WsrvTest {

    /**
     * Returns the CDI bean classes to deploy: handler beans, middleware, observers, services.
     *
     * @return the classes; none by default
     */
    Class<?>[] beans() default {};

    /**
     * Returns whether every test gets a server of its own, started before it and stopped after it; by default the
     * tests of the class share one.
     *
     * @return {@code true} for a server per test method
     */
    boolean perMethod() default false;
}
