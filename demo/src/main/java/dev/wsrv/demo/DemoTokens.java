package dev.wsrv.demo;

import dev.wsrv.Settings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The demo's tokens: {@code NAME.EXPIRES.SIGNATURE}, where the signature is an HMAC-SHA256 of {@code NAME.EXPIRES}
 * (base64url) with the server's key. Only the holder of the key can make one, and changing the name or the expiry
 * breaks the signature, so a client cannot claim a principal it was not given.
 *
 * <p>The key is the setting {@code wsrv.demo.tokenKey} (MicroProfile Config, system property or
 * {@code WSRV_DEMO_TOKEN_KEY}); without it a random key is made at start, and tokens last only as long as the
 * process. Thread-safe.
 */
@ApplicationScoped
public class DemoTokens {

    private static final Logger LOG = Logger.getLogger(DemoTokens.class.getName());
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final String HMAC = "HmacSHA256";

    /** How long a token the demo issues is valid. */
    static final Duration LIFETIME = Duration.ofHours(1);

    private byte[] key;
    private Clock clock = Clock.systemUTC();

    /** Creates the bean; CDI calls this. */
    public DemoTokens() {
    }

    @PostConstruct
    void init() {
        String configured = Settings.lookup("wsrv.demo.tokenKey");
        if (configured != null) {
            key = configured.getBytes(StandardCharsets.UTF_8);
        } else {
            key = new byte[32];
            new SecureRandom().nextBytes(key);
            LOG.info("wsrv demo: no wsrv.demo.tokenKey set, signing tokens with a key made for this run");
        }
    }

    /**
     * Issues a token for a user, valid for an hour.
     *
     * @param name the user: 1 to 32 letters, digits, {@code -} or {@code _}
     * @return the token
     * @throws IllegalArgumentException if the name is not valid
     */
    public String issue(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a name has 1 to 32 letters, digits, - or _");
        }
        return sign(key, name, clock.instant().plus(LIFETIME).getEpochSecond());
    }

    /**
     * Returns the user a token names, if this server signed it and it has not expired.
     *
     * @param token the token, may be {@code null}
     * @return the user, or empty
     */
    public Optional<String> verify(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !NAME.matcher(parts[0]).matches() || !parts[1].matches("[0-9]{1,12}")) {
            return Optional.empty();
        }
        byte[] expected = sign(key, parts[0], Long.parseLong(parts[1])).getBytes(StandardCharsets.US_ASCII);
        // compared in constant time, so that the time taken tells nothing about the right signature
        if (!MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.US_ASCII))
                || Long.parseLong(parts[1]) <= clock.instant().getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.of(parts[0]);
    }

    /**
     * Makes a token with a given key and expiry; for whoever shares the server's key, such as its tests.
     *
     * @param key the key
     * @param name the user
     * @param expiresAt the end of its validity, in seconds since the epoch
     * @return the token
     */
    public static String sign(byte[] key, String name, long expiresAt) {
        String payload = name + "." + expiresAt;
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            byte[] signature = mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
            return payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
