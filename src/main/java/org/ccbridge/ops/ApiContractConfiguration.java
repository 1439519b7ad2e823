package org.ccbridge.ops;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The API contract at {@code /v3/api-docs} (springdoc, from the controllers): the flow-facing
 * APIs (locks, sessions, gateway, notifications) with the API key as bearer, and the admin API
 * with {@code X-Admin-Token}. A Genesys data action or a NICE Studio REST call can be configured
 * from it. Webhooks are not in it: platforms post them to {@code /webhooks/<source>} signed, as
 * their own documentation describes.
 */
@Configuration(proxyBeanMethods = false)
class ApiContractConfiguration {

    static final String API_KEY = "apiKey";
    static final String ADMIN_TOKEN = "adminToken";
    static final String PROBLEM = "Problem";

    /** Path prefix to tag, in the order the contract lists them. */
    private static final Map<String, String> TAGS = Map.of(
            "/locks", "Locks",
            "/sessions", "Sessions",
            "/gateway", "Gateway",
            "/notifications", "Notifications",
            "/admin", "Admin");

    @Bean
    OpenAPI ccbridgeApi() {
        return new OpenAPI()
                .info(new Info().title("ccbridge").version("1")
                        .description("Flow-facing APIs of the contact-center integration layer (fenced locks, session "
                                + "state, the idempotent mutation gateway, exactly-once notifications) and its admin "
                                + "API. Errors are application/problem+json (RFC 9457); 429 and 503 carry Retry-After."))
                // relative: the contract names no host, so it reads the same wherever it is served
                .servers(List.of(new Server().url("/")))
                .components(new Components()
                        .addSchemas(PROBLEM, new ObjectSchema().description("Problem details (RFC 9457)")
                                .addProperty("type", new StringSchema()).addProperty("title", new StringSchema())
                                .addProperty("status", new IntegerSchema()).addProperty("detail", new StringSchema()))
                        .addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("An API key of ccbridge.api.clients, as Authorization: Bearer <key>; "
                                        + "each API needs its scope (locks, sessions, gateway:<target>, notifications)"))
                        .addSecuritySchemes(ADMIN_TOKEN, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER).name("X-Admin-Token")
                                .description("The admin read token (GET) or operate token (GET and POST)")));
    }

    /**
     * Each operation names the credential its API takes and the API it belongs to, answers 401 and
     * 403 like every other, and gives its errors as problem+json.
     */
    @Bean
    OpenApiCustomizer credentialsTagsAndProblems() {
        return api -> api.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> {
            boolean admin = path.startsWith("/admin");
            operation.setSecurity(List.of(new SecurityRequirement().addList(admin ? ADMIN_TOKEN : API_KEY)));
            TAGS.entrySet().stream().filter(tag -> path.startsWith(tag.getKey())).findFirst()
                    .ifPresent(tag -> operation.setTags(List.of(tag.getValue())));
            ApiResponses responses = operation.getResponses();
            responses.putIfAbsent("401", new ApiResponse().description("No credential, or one ccbridge does not know"));
            responses.putIfAbsent("403", new ApiResponse().description(admin ? "The token's role may not do this"
                    : "The API key lacks this API's scope"));
            // springdoc gives an error the method's return type; ccbridge answers every error as a problem
            responses.forEach((code, response) -> {
                if (code.startsWith("4") || code.startsWith("5")) {
                    response.setContent(new Content().addMediaType("application/problem+json",
                            new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
                }
            });
        }));
    }
}
