package dev.wsrv.demo;

import jakarta.enterprise.concurrent.ManagedThreadFactoryDefinition;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

/**
 * Defines the demo's thread factory {@value DemoThreads#FACTORY} in the WAR: virtual threads where the server honours
 * {@code virtual = true} (Payara 7, GlassFish 8), the container's managed platform threads elsewhere (WildFly, and
 * the Jakarta EE 10 servers, which do not know the attribute). It sits on a web listener because GlassFish and Payara
 * read resource definitions from web components, not from CDI beans; the listener does nothing else.
 */
@WebListener
@ManagedThreadFactoryDefinition(name = DemoThreads.FACTORY, virtual = true)
public class DemoThreadFactory implements ServletContextListener {

    /** Creates the listener; the container calls this. */
    public DemoThreadFactory() {
    }
}
