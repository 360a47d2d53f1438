package dev.wsrv.demo;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Serves the demo's JAX-RS resources under {@code /api} in the WAR. */
@ApplicationPath("/api")
public class RestApplication extends Application {
}
