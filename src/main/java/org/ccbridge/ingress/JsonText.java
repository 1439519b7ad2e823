package org.ccbridge.ingress;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** JSON string quoting for the small hand-built replies. */
final class JsonText {

    private JsonText() {
    }

    static String quote(String value) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
    }
}
