package dev.wsrv.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wsrv.it.support.TestClient;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

/** What the embedded server's CDI container offers an application: its lifecycle events and scopes. */
class EmbeddedLifecycleTest {

    @Test
    void startupAndShutdownFireAroundTheServersLife() throws Exception {
        LifecycleBean.EVENTS.clear();
        try (EmbeddedServer server = EmbeddedServer.builder().port(0).beanClasses(LifecycleBean.class, LifecycleBean.PerRequest.class).start()) {
            assertThat(LifecycleBean.EVENTS).containsExactly("PostConstruct", "Initialized(ApplicationScoped)", "Startup");
            try (TestClient c = TestClient.connect(server.uri())) {
                JsonObject first = c.request("request-scope", "1", null);
                JsonObject second = c.request("request-scope", "2", null);
                assertThat(first.getInt("status")).as(first.toString()).isZero();
                assertThat(first.getString("data")).as("@ActivateRequestContext: a request context per call").isNotEqualTo(second.getString("data"));
            }
        }
        assertThat(LifecycleBean.EVENTS).containsExactly("PostConstruct", "Initialized(ApplicationScoped)", "Startup",
                "Shutdown", "BeforeDestroyed(ApplicationScoped)", "PreDestroy");
    }
}
