package org.ccbridge.coordination;

import jakarta.servlet.http.HttpServletRequest;

/** The API client a request authenticated as, for APIs outside this package. */
public final class ApiClients {

    private ApiClients() {
    }

    /**
     * @throws CoordinationProblemException 401 when the request reached an API without a client
     */
    public static String of(HttpServletRequest request) {
        return ApiKeyFilter.client(request);
    }
}
