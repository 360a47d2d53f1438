package dev.wsrv.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The guard's answers for peers that a test on this machine cannot be: every address a socket here can come from is
 * loopback, so the other addresses are checked on the guard itself.
 */
class ConsoleGuardTest {

    private static ConsoleRequest from(String address, String method, String... headers) throws Exception {
        Map<String, String> h = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i].toLowerCase(java.util.Locale.ROOT), headers[i + 1]);
        }
        return new ConsoleRequest(method, "/api/state", null, InetAddress.getByName(address), h, null);
    }

    @Test
    void aLoopbackConsoleRefusesEveryOtherAddressWith403() throws Exception {
        ConsoleGuard guard = new ConsoleGuard(false, request -> true);
        for (String address : new String[] {"10.0.0.7", "192.168.1.20", "203.0.113.9", "2001:db8::1", "::ffff:10.0.0.7"}) {
            ConsoleHttp.Reply r = guard.check(from(address, "GET", "Host", "127.0.0.1:8800"));
            assertThat(r).as(address).isNotNull();
            assertThat(r.status()).as(address).isEqualTo(403);
            assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("the console answers loopback clients only\n");
        }
        assertThat(guard.check(from("127.0.0.1", "GET", "Host", "127.0.0.1:8800"))).isNull();
        assertThat(guard.check(from("127.0.0.2", "GET", "Host", "localhost"))).isNull();
        assertThat(guard.check(from("::1", "GET", "Host", "[::1]:8800"))).isNull();
        assertThat(guard.check(from("127.0.0.1", "GET")).status()).as("no Host").isEqualTo(403);
    }

    @Test
    void anExposedConsoleAsksItsAuthenticatorForEveryAddressAndRefusesWhenItThrows() throws Exception {
        ConsoleGuard guard = new ConsoleGuard(true, request -> "ok".equals(request.header("X-Pass")));
        assertThat(guard.check(from("10.0.0.7", "GET", "Host", "console.example", "X-Pass", "ok"))).isNull();
        assertThat(guard.check(from("10.0.0.7", "GET", "Host", "console.example")).status()).isEqualTo(401);
        assertThat(guard.check(from("127.0.0.1", "GET", "Host", "127.0.0.1")).status()).isEqualTo(401);
        ConsoleGuard failing = new ConsoleGuard(true, request -> {
            throw new IllegalStateException("the token service is down");
        });
        assertThat(failing.check(from("10.0.0.7", "GET", "Host", "console.example")).status()).isEqualTo(401);
        assertThat(new ConsoleGuard(true, null).check(from("10.0.0.7", "GET", "Host", "x")).status()).isEqualTo(403);
    }
}
