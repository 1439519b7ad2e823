package org.ccbridge.security;

import java.util.List;

import org.ccbridge.security.PathTrickTable.Endpoint;
import org.ccbridge.support.EmbeddedModeTestSupport;
import org.ccbridge.support.HandledRequests;
import org.ccbridge.support.StandardWebhooksSigner;
import org.springframework.beans.factory.annotation.Autowired;

/** The path-trick table against the embedded default. */
class EmbeddedPathTrickTests extends EmbeddedModeTestSupport implements PathTrickContract {

    private static final List<Endpoint> ENDPOINTS =
            PathTrickTable.endpoints(ADMIN_TOKEN, OTHER_CLIENT_KEY, StandardWebhooksSigner.DEMO_SECRET);

    @Autowired
    private HandledRequests handled;

    @Override
    public int port() {
        return port;
    }

    @Override
    public HandledRequests handled() {
        return handled;
    }

    @Override
    public List<Endpoint> endpoints() {
        return ENDPOINTS;
    }
}
