/**
 * The task store on Jdbi 3: H2 as the embedded default, PostgreSQL for production and for several engine instances
 * sharing one database.
 *
 * <ul>
 *   <li>{@link dev.taskengine.adapter.jdbi.JdbiTaskStore}: the {@link dev.taskengine.store.TaskStore}, on a host's
 *       {@code DataSource} or {@code Jdbi} (its own short transactions), or on a host's {@code Handle} (inside the host's
 *       transaction, see {@link dev.taskengine.adapter.jdbi.JdbiTaskStore#inTransaction}).</li>
 *   <li>{@link dev.taskengine.adapter.jdbi.TaskSchema}: the versioned migrations shipped in this jar, applied through
 *       Flyway with the engine's own history table, or run by the host's own tool.</li>
 * </ul>
 *
 * The table is {@code te_task}, one column per field of the task aggregate; ids come from the sequence
 * {@code te_task_id_seq}. The migration files document the columns and the codes stored for each enum.
 */
package dev.taskengine.adapter.jdbi;
