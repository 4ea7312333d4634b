package dev.taskengine.adapter.jdbi;

import static dev.taskengine.contract.TaskFixtures.NOW;
import static dev.taskengine.contract.TaskFixtures.freshTenant;
import static dev.taskengine.contract.TaskFixtures.newToDo;
import static dev.taskengine.contract.TaskFixtures.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskengine.api.StoreUnavailableException;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskQuery;
import dev.taskengine.api.TaskRef;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.store.HistoryRequest;
import dev.taskengine.store.PageRequest;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A database that cannot be reached is an infrastructure failure on every call: a {@link StoreUnavailableException}
 * carrying the cause, never a raw {@link SQLException}, never an empty answer such as "not found". Needs no server.
 */
class UnreachableDatabaseTest {
    private static final Actor ACTOR = Actor.user(7);
    private final TenantId tenant = freshTenant();

    static Stream<DataSource> unreachable() {
        PGSimpleDataSource noServer = new PGSimpleDataSource();
        noServer.setURL("jdbc:postgresql://127.0.0.1:1/taskengine");
        noServer.setConnectTimeout(2);
        JdbcDataSource noDatabase = new JdbcDataSource();
        noDatabase.setURL("jdbc:h2:mem:never-created;IFEXISTS=TRUE");
        return Stream.of(noServer, noDatabase);
    }

    @ParameterizedTest
    @MethodSource("unreachable")
    void everyStoreCallIsAnInfrastructureFailure(DataSource dataSource) {
        JdbiTaskStore store = new JdbiTaskStore(dataSource);
        Task task = stored(tenant, TaskId.of(1), TaskStatus.NEW);
        Task started = task.start(NOW).get();
        HistoryEntry note = HistoryEntry.note(UUID.randomUUID(), task, ACTOR, NOW, "Called back")
                .get();
        List<ThrowingCallable> calls = List.of(
                store::nextId,
                () -> store.insert(task, HistoryEntry.created(UUID.randomUUID(), task, ACTOR), List.of()),
                () -> store.find(tenant, task.id()),
                () -> store.update(
                        started,
                        1,
                        HistoryEntry.changed(UUID.randomUUID(), TaskEventType.STARTED, task, started, ACTOR),
                        List.of()),
                () -> store.delete(
                        tenant, task.id(), 1, HistoryEntry.deleted(UUID.randomUUID(), task, ACTOR, NOW), List.of()),
                () -> store.reassignSequence(tenant, SequenceId.of(1), UserId.of(2), ACTOR, NOW, false),
                () -> store.addNote(note, List.of()),
                () -> store.history(new HistoryRequest(
                        tenant,
                        Optional.of(task.id()),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Set.of(),
                        OptionalLong.empty(),
                        10)),
                () -> store.forgetHistory(NOW),
                () -> store.contactPause(tenant, ContactId.of(5)),
                () -> store.keepContactPause(tenant, ContactId.of(5), NOW.plusSeconds(60)),
                () -> store.dueReminders(NOW, 10),
                () -> store.query(PageRequest.first(TaskQuery.forTenant(tenant).build(), NOW)),
                () -> store.query(PageRequest.first(
                        TaskQuery.forTenant(tenant).includeTotal().build(), NOW)),
                () -> TaskSchema.migrate(dataSource));
        for (ThrowingCallable call : calls) {
            assertThatThrownBy(call)
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("unavailable")
                    .satisfies(failure -> assertThat(causes(failure)).hasAtLeastOneElementOfType(SQLException.class));
        }
    }

    private static List<Throwable> causes(Throwable failure) {
        return Stream.iterate(failure.getCause(), cause -> cause != null, Throwable::getCause)
                .toList();
    }

    @ParameterizedTest
    @MethodSource("unreachable")
    void theEngineReportsTheOutageNeverNotFound(DataSource dataSource) {
        TaskEngine engine =
                TaskEngine.builder().store(new JdbiTaskStore(dataSource)).build();

        assertThatThrownBy(() -> engine.get(tenant, TaskId.of(1), false)).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> engine.start(TaskRef.of(ACTOR, tenant, 1)))
                .isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> engine.query(TaskQuery.forTenant(tenant).build()))
                .isInstanceOf(StoreUnavailableException.class);
    }

    @ParameterizedTest
    @MethodSource("unreachable")
    void invalidInputIsRefusedBeforeAnySql(DataSource dataSource) {
        TaskEngine engine =
                TaskEngine.builder().store(new JdbiTaskStore(dataSource)).build();

        TaskError error = engine.create(
                        ACTOR,
                        newToDo(tenant)
                                .template(Template.of("x".repeat(70_000)))
                                .build())
                .getLeft();

        assertThat(error).isInstanceOf(TaskError.InvalidInput.class);
    }
}
