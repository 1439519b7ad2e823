package org.ccbridge.ingress;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A shared secret in a header, for senders that cannot sign their deliveries (Genesys Cloud data
 * actions, some EventBridge targets). Weaker than a signature: use it only over TLS.
 */
final class SharedSecretAuthenticator implements WebhookAuthenticator {

    private final List<byte[]> secrets;
    private final String header;

    SharedSecretAuthenticator(List<String> secrets, String header) {
        this.secrets = secrets.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        this.header = header;
    }

    @Override
    public void authenticate(WebhookRequest request) throws AuthenticationFailedException {
        String presented = request.header(header);
        if (presented == null || presented.isEmpty()) {
            throw new AuthenticationFailedException("missing header " + header);
        }
        byte[] presentedBytes = presented.getBytes(StandardCharsets.UTF_8);
        boolean matches = false;
        for (byte[] secret : secrets) {
            // no early exit: the time taken must not tell which secret matched
            matches |= HmacSha256.equalSecrets(secret, presentedBytes);
        }
        if (!matches) {
            throw new AuthenticationFailedException("secret does not match");
        }
    }
}
