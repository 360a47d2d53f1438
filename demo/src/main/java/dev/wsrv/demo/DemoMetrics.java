package dev.wsrv.demo;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The embedded demo's meter registry, a Prometheus one, whose text {@link DemoMain} serves at {@code /metrics}. Not
 * part of the WAR.
 */
@Dependent
public class DemoMetrics {

    /** The content type of the Prometheus text format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** Creates the bean; CDI calls this. */
    public DemoMetrics() {
    }

    /**
     * Produces the application's one registry, which wsrv's meters bind to.
     *
     * @return a new Prometheus registry
     */
    @Produces
    @Singleton
    PrometheusMeterRegistry registry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    void close(@Disposes PrometheusMeterRegistry registry) {
        registry.close();
    }

    /**
     * Returns the registry's Prometheus text.
     *
     * @param beans the application's beans
     * @return the text
     */
    public static String scrape(Instance<Object> beans) {
        return beans.select(PrometheusMeterRegistry.class).get().scrape();
    }
}
