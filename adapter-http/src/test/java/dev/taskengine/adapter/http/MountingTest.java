package dev.taskengine.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.adapter.memory.InMemoryTaskStore;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import io.javalin.Javalin;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A host mounts the routes on its own Javalin instance, and decides through its own Authenticator who a request is. */
class MountingTest {
    static final String HOST_HEADER = "X-Host-User";

    /** A host's scheme: a header its gateway sets, naming user 7 of tenant mem. */
    static final Authenticator GATEWAY = credentials -> credentials
            .header()
            .apply(HOST_HEADER)
            .filter("7"::equals)
            .map(user -> new Principal(TenantId.of("mem"), UserId.of(7)));

    static Javalin host(HttpApi api) {
        return Javalin.create(config -> {
                    config.startup.showJavalinBanner = false;
                    api.mount(config);
                    config.routes.get("/host/health", ctx -> ctx.result("host ok"));
                })
                .start("127.0.0.1", 0);
    }

    @Test
    void theRoutesServeOnTheHostsInstanceBesideItsOwnRoutes() {
        HttpApi api = HttpApi.builder(MemoryApi.engine(new InMemoryTaskStore(), AdapterSettingsTest.DELIVERS))
                .authenticator(ApiKeys.parse(java.util.List.of(MemoryApi.KEY + "=mem:7")))
                .build();
        Javalin host = host(api);
        try {
            Client client = new Client(host.port(), true);

            ErrorShapesTest.assertProblem(client.get("/v3/tasks/1", MemoryApi.KEY), 404, "task.notFound");
            assertThat(client.get("/v3/tasks/1", null).status()).isEqualTo(401);
            assertThat(client.request("GET", "/host/health").send().body()).isEqualTo("host ok");
            assertThat(api.routes()).hasSize(39);
        } finally {
            host.stop();
        }
    }

    @Test
    void aHostsAuthenticatorDecidesWhoARequestActsFor() {
        HttpApi api = HttpApi.builder(MemoryApi.engine(new InMemoryTaskStore(), AdapterSettingsTest.DELIVERS))
                .authenticator(GATEWAY)
                .build();
        Javalin host = host(api);
        try {
            Client client = new Client(host.port(), true);

            Client.Answer created = client.request("POST", "/v3/tasks")
                    .header(HOST_HEADER, "7")
                    .body(ReplyApiTest.EMAIL_TO_ADA)
                    .send();
            Client.Answer stranger =
                    client.request("GET", "/v1/tasks").header(HOST_HEADER, "8").send();

            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(created.json().get("assignedUserId").asLong())
                    .as("the principal's user")
                    .isEqualTo(7);
            assertThat(stranger.status()).isEqualTo(401);
            assertThat(stranger.header("WWW-Authenticate")).contains("Bearer");
            assertThat(Optional.ofNullable(stranger.json().get("type")).map(t -> t.asText()))
                    .contains("UnauthorizedIssue");
        } finally {
            host.stop();
        }
    }
}
