/**
 * A JUnit 5 test kit for wsrv applications: {@link dev.wsrv.test.WsrvTest} (or
 * {@link dev.wsrv.test.WsrvTestExtension} in a {@code @RegisterExtension} field) starts an embedded server on a free
 * loopback port with the given beans and hands the tests a connected client, the server and a
 * {@link dev.wsrv.test.PushRecorder}. While a server of the kit runs, the INFO lines of Weld, Grizzly, Tyrus and
 * Hibernate Validator are turned down to WARNING; {@code -Dwsrv.test.quietLogs=false}, or a level set for those
 * loggers in {@code logging.properties}, keeps them.
 */
package dev.wsrv.test;
