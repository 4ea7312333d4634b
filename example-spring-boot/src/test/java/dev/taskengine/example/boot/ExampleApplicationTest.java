package dev.taskengine.example.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.taskengine.api.TaskEngine;
import dev.taskengine.domain.TaskId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.Lifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

/** The example application on its defaults (embedded H2), with a real web server; the PostgreSQL run extends it. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"example.demo=false", "taskengine.scheduler.poll-interval=50ms"})
class ExampleApplicationTest {
    @Autowired
    DealService deals;

    @Autowired
    TaskEngine engine;

    @Autowired
    @Qualifier("taskEngineScheduler")
    Lifecycle scheduler;

    @Autowired
    LoggingSender sender;

    @Autowired
    EventLog events;

    @Autowired
    JdbcTemplate jdbc;

    @Value("${local.server.port}")
    int port;

    @Test
    void a_deal_commits_with_its_task_whose_event_is_published_and_which_the_scheduler_then_sends() {
        assertThat(engine.getClass().getSimpleName()).isEqualTo("SpringTransactionalTaskEngine");
        assertThat(scheduler.isRunning()).isTrue();
        DealService.Deal deal = deals.open("ACME renewal", Duration.ZERO, false);
        TaskId task = TaskId.of(deal.taskId());
        assertThat(jdbc.queryForObject("SELECT task_id FROM deal WHERE id = ?", Long.class, deal.id()))
                .isEqualTo(deal.taskId());
        assertThat(engine.get(DealService.ACME, task, false).isRight()).isTrue();
        // Published after the commit, by the engine's relaying thread:
        await().atMost(Duration.ofSeconds(20))
                .until(() -> events.events().stream()
                        .anyMatch(event -> event.taskId().equals(task)));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> sender.sent().stream()
                        .anyMatch(sent -> sent.message().taskId().equals(task)));
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        !engine.get(DealService.ACME, task, false).get().task().active());
    }

    @Test
    void a_failing_deal_leaves_neither_its_row_nor_its_task_nor_an_event() {
        long dealsBefore = jdbc.queryForObject("SELECT COUNT(*) FROM deal", Long.class);
        int eventsBefore = events.events().size();
        assertThatThrownBy(() -> deals.open("Globex pilot", Duration.ofHours(1), true))
                .isInstanceOf(IllegalStateException.class);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM deal", Long.class)).isEqualTo(dealsBefore);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM deal WHERE name = 'Globex pilot'", Long.class))
                .isZero();
        engine.relayPendingEvents();
        assertThat(events.events().subList(eventsBefore, events.events().size()))
                .noneMatch(event -> event.type().name().equals("CREATED") && !known(event.taskId()));
    }

    private boolean known(TaskId task) {
        return engine.get(DealService.ACME, task, false).isRight();
    }

    @Test
    void actuator_health_and_metrics_answer() throws Exception {
        deals.open("Umbrella audit", Duration.ofHours(1), false); // a driving call: taskengine.action
        String health = get("/actuator/health");
        assertThat(health).contains("\"taskengine\"").contains("\"scheduler\":\"running\"");
        assertThat(get("/actuator/health/taskengine")).contains("\"status\":\"UP\"");
        assertThat(get("/actuator/metrics")).contains("\"names\"");
        assertThat(get("/actuator/metrics/taskengine.action")).contains("\"name\":\"taskengine.action\"");
        assertThat(get("/actuator/metrics/taskengine.scheduler.backlog"))
                .contains("\"name\":\"taskengine.scheduler.backlog\"");
        assertThat(get("/deals")).startsWith("[");
    }

    String get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }
}
