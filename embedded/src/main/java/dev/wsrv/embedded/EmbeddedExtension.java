package dev.wsrv.embedded;

import dev.wsrv.Routes;
import dev.wsrv.WsrvConfig;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.inject.Singleton;

/**
 * Hands the builder's settings and programmatic routes to the CDI container as beans: the settings as an
 * alternative that wins over the runtime's environment-based producer.
 */
final class EmbeddedExtension implements Extension {

    private final WsrvConfig config;
    private final Routes routes;

    EmbeddedExtension(WsrvConfig config, Routes routes) {
        this.config = config;
        this.routes = routes;
    }

    void addBeans(@Observes AfterBeanDiscovery event) {
        event.addBean()
                .beanClass(EmbeddedServer.class)
                .types(WsrvConfig.class, Object.class)
                .scope(Singleton.class)
                .alternative(true)
                .priority(jakarta.interceptor.Interceptor.Priority.LIBRARY_AFTER + 100)
                .createWith(cc -> config);
        event.addBean()
                .beanClass(EmbeddedServer.class)
                .types(Routes.class, Object.class)
                .scope(Dependent.class)
                .createWith(cc -> routes);
    }
}
