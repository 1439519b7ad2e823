package org.ccbridge.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.BadCredentialsException;

/** What the security layer refuses at start, and its answer when the admin API has no credential at all. */
class SecurityStartupTests {

    private final ApplicationContextRunner prod = new ApplicationContextRunner()
            .withUserConfiguration(GuardOnly.class).withPropertyValues("spring.profiles.active=prod");

    @Test
    void prodProfileRefusesThePublishedDevelopmentKey() {
        prod.withPropertyValues("ccbridge.api.clients.flows.key-sha256=" + Secrets.sha256Hex(DevelopmentCredentials.API_KEY))
                .run(started -> {
                    assertThat(started).hasFailed();
                    assertThat(started.getStartupFailure()).rootCause()
                            .hasMessageContaining("API client 'flows' uses the published development key");
                });
    }

    @Test
    void prodProfileRefusesThePublishedAdminToken() {
        for (String property : new String[] {"ccbridge.admin.operate-token", "ccbridge.admin.read-token"}) {
            prod.withPropertyValues(property + "=" + DevelopmentCredentials.ADMIN_TOKEN).run(started -> {
                assertThat(started).hasFailed();
                assertThat(started.getStartupFailure()).rootCause()
                        .hasMessageContaining("published development token").hasMessageContaining("CCBRIDGE_ADMIN_TOKEN");
            });
        }
    }

    @Test
    void prodProfileStartsWithCredentialsOfItsOwn() {
        prod.withPropertyValues("ccbridge.api.clients.flows.key-sha256=" + Secrets.sha256Hex("a-key-of-its-own"),
                "ccbridge.admin.operate-token=an-operate-token-of-its-own").run(started -> assertThat(started).hasNotFailed());
    }

    @Test
    void anUnknownScopeOrClientNameFailsTheStart() {
        assertThatThrownBy(() -> provider(Map.of("flows", client("lock"))))
                .hasMessageContaining("unknown scope 'lock'");
        assertThatThrownBy(() -> provider(Map.of("flows", client("gateway:"))))
                .hasMessageContaining("unknown scope 'gateway:'");
        assertThatThrownBy(() -> provider(Map.of("two words", client("locks"))))
                .hasMessageContaining("API client names");
    }

    @Test
    void aClientIsGrantedItsScopesAndNothingElse() {
        ApiKeyAuthenticationProvider provider = provider(Map.of("flows", new ApiClientProperties.Client(
                Secrets.sha256Hex("k"), Set.of("locks", "gateway:crm"))));
        Caller caller = (Caller) provider.authenticate(new PresentedCredential(PresentedCredential.Kind.API_KEY, "k"));
        assertThat(caller.getName()).isEqualTo("flows");
        assertThat(caller.isApiClient()).isTrue();
        assertThat(caller.getAuthorities()).extracting(Object::toString).containsExactlyInAnyOrder("locks", "gateway:crm");
        assertThatThrownBy(() -> provider.authenticate(new PresentedCredential(PresentedCredential.Kind.API_KEY, "K")))
                .isInstanceOf(BadCredentialsException.class);
        assertThat(provider.anyClientHasAdminScope()).isFalse();
    }

    @Test
    void adminTokensGrantTheirRoleOnly() {
        AdminTokenAuthenticationProvider tokens = new AdminTokenAuthenticationProvider(
                new AdminProperties("operate-secret", "read-secret"));
        assertThat(tokens.authenticate(adminToken("operate-secret")).getAuthorities()).extracting(Object::toString)
                .containsExactlyInAnyOrder("admin:read", "admin:operate");
        assertThat(tokens.authenticate(adminToken("read-secret")).getAuthorities()).extracting(Object::toString)
                .containsExactly("admin:read");
        assertThatThrownBy(() -> tokens.authenticate(adminToken("operate-secre"))).isInstanceOf(BadCredentialsException.class);
        // an unset token matches nothing, not even an empty header
        AdminTokenAuthenticationProvider unset = new AdminTokenAuthenticationProvider(new AdminProperties("", ""));
        assertThat(unset.anyTokenConfigured()).isFalse();
        assertThatThrownBy(() -> unset.authenticate(adminToken(""))).isInstanceOf(BadCredentialsException.class);
    }

    @Test
    void withNoAdminCredentialConfiguredTheAdminApiIsOffWith403() throws Exception {
        ProblemReplies off = new ProblemReplies(new SimpleMeterRegistry(), false);
        MockHttpServletResponse response = new MockHttpServletResponse();
        off.commence(new MockHttpServletRequest("GET", "/admin/queues"), response, new BadCredentialsException("x"));
        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(response.getContentAsString()).contains("CCBRIDGE_ADMIN_TOKEN");

        MockHttpServletResponse api = new MockHttpServletResponse();
        off.commence(new MockHttpServletRequest("POST", "/locks/x"), api, new BadCredentialsException("x"));
        assertThat(api.getStatus()).isEqualTo(401);
    }

    private static ApiKeyAuthenticationProvider provider(Map<String, ApiClientProperties.Client> clients) {
        return new ApiKeyAuthenticationProvider(new ApiClientProperties(clients));
    }

    private static ApiClientProperties.Client client(String scope) {
        return new ApiClientProperties.Client(Secrets.sha256Hex("k"), Set.of(scope));
    }

    private static PresentedCredential adminToken(String token) {
        return new PresentedCredential(PresentedCredential.Kind.ADMIN_TOKEN, token);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({ApiClientProperties.class, AdminProperties.class})
    @Import(DevelopmentCredentials.class)
    static class GuardOnly {
    }
}
