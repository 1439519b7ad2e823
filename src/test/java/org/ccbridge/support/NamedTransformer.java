package org.ccbridge.support;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;

/** A WireMock response transformer that a fake's stubs name, applied to no other stub. */
public abstract class NamedTransformer implements ResponseDefinitionTransformerV2 {

    private final String name;

    protected NamedTransformer(String name) {
        this.name = name;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public String getName() {
        return name;
    }
}
