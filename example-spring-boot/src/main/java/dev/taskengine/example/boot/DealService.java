package dev.taskengine.example.boot;

import dev.taskengine.api.TaskEngine;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The host's own rows and the engine's in one transaction: a deal and its follow-up email commit together or not at
 * all, and the task's event is published only after the commit.
 */
@Service
public class DealService {
    public static final TenantId ACME = TenantId.of("acme");
    private static final Actor REP = Actor.user(7);

    private final JdbcTemplate jdbc;
    private final TaskEngine engine;

    public DealService(JdbcTemplate jdbc, TaskEngine engine) {
        this.jdbc = jdbc;
        this.engine = engine;
    }

    /** A deal, in the tables of this application. */
    public record Deal(long id, String name, long taskId) {}

    /**
     * Opens a deal and schedules its follow-up email {@code followUpIn} from now, in one transaction; {@code failAfter}
     * makes it fail after both writes (to show the rollback).
     */
    @Transactional
    public Deal open(String name, Duration followUpIn, boolean failAfter) {
        long id = jdbc.queryForObject("SELECT COALESCE(MAX(id), 0) + 1 FROM deal", Long.class);
        jdbc.update("INSERT INTO deal (id, name) VALUES (?, ?)", id, name);
        Instant start = Instant.now().plus(followUpIn);
        Task followUp = engine.create(
                        REP,
                        NewTask.builder()
                                .tenant(ACME)
                                .type(TaskType.MANUAL_EMAIL)
                                .contact(ContactId.of(1))
                                .assignee(UserId.of(7))
                                .startAt(start)
                                .dueTo(start.plus(Duration.ofDays(1)))
                                .template(
                                        Template.of("About " + name, "Hi {{firstName}}, following up on " + name + "."))
                                .scheduled(true)
                                .build())
                .getOrElseThrow(error -> new IllegalArgumentException(error.message()));
        jdbc.update("UPDATE deal SET task_id = ? WHERE id = ?", followUp.id().value(), id);
        if (failAfter) {
            throw new IllegalStateException("deal " + name + " failed after its writes: rolled back");
        }
        return new Deal(id, name, followUp.id().value());
    }

    public List<Deal> deals() {
        return jdbc.query(
                "SELECT id, name, task_id FROM deal ORDER BY id",
                (row, n) -> new Deal(row.getLong("id"), row.getString("name"), row.getLong("task_id")));
    }
}
