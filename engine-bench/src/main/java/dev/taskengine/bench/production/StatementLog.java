package dev.taskengine.bench.production;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * A data source that notes what the engine does on it while recording: every statement with its SQL, the parameters
 * of its first execution (so that its plan can be asked for with the same values) and when it was prepared, executed
 * and closed, and every commit. The engine runs on it unchanged; {@link #explain} replays a noted statement under
 * {@code EXPLAIN (ANALYZE, BUFFERS, WAL)}, in a transaction that is rolled back.
 */
final class StatementLog {
    /** A parameter as the engine set it: the setter and its arguments, the first being the position. */
    record Parameter(Method setter, Object[] arguments) {}

    /**
     * An array parameter's elements: the driver's array is freed with its statement, so it is noted by value and made
     * again on the connection it is set on.
     */
    record ArrayValue(String baseType, Object[] elements) {}

    /**
     * One statement and when ({@link System#nanoTime}) it was prepared, began its first execution (a batch is one),
     * ended its last and was closed.
     */
    record Noted(
            String sql,
            List<Parameter> parameters,
            long prepared,
            long firstExecution,
            long lastExecutionEnd,
            long closed) {
        /** From its preparing to its first execution: binding, and whatever the caller did in between. */
        long beforeExecution() {
            return firstExecution - prepared;
        }

        /** From the end of its last execution to its closing: reading (mapping) the rows it answered. */
        long afterExecution() {
            return closed - lastExecutionEnd;
        }

        /** The same statement with {@code value} at {@code position} (1 for the first) instead of what it ran with. */
        Noted with(int position, Object value) {
            List<Parameter> changed = new ArrayList<>();
            for (Parameter parameter : parameters) {
                changed.add(
                        parameter.arguments()[0].equals(position)
                                ? new Parameter(SET_OBJECT, new Object[] {position, value})
                                : parameter);
            }
            return new Noted(sql, List.copyOf(changed), prepared, firstExecution, lastExecutionEnd, closed);
        }

        boolean explainable() {
            String verb = sql.stripLeading().toUpperCase(Locale.ROOT);
            return verb.startsWith("SELECT")
                    || verb.startsWith("WITH")
                    || verb.startsWith("UPDATE")
                    || verb.startsWith("INSERT")
                    || verb.startsWith("DELETE");
        }
    }

    /** A commit: when it started and ended. */
    record Commit(long started, long ended) {}

    /** What was noted between {@link #start} and {@link #stop}. */
    record Log(List<Noted> statements, List<Commit> commits) {}

    private static final Method SET_OBJECT;

    static {
        try {
            SET_OBJECT = PreparedStatement.class.getMethod("setObject", int.class, Object.class);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final DataSource target;
    private final DataSource wrapped;
    private final List<Noted> statements = new ArrayList<>();
    private final List<Commit> commits = new ArrayList<>();
    private volatile boolean recording;

    StatementLog(DataSource target) {
        this.target = target;
        this.wrapped = proxy(DataSource.class, (proxy, method, args) -> {
            Object result = invoke(target, method, args);
            return result instanceof Connection c ? connection(c) : result;
        });
    }

    /** The data source to give the engine. */
    DataSource dataSource() {
        return wrapped;
    }

    synchronized void start() {
        statements.clear();
        commits.clear();
        recording = true;
    }

    synchronized Log stop() {
        recording = false;
        return new Log(List.copyOf(statements), List.copyOf(commits));
    }

    private synchronized void noted(Noted statement) {
        statements.add(statement);
    }

    private synchronized void committed(Commit commit) {
        commits.add(commit);
    }

    /**
     * The plan of {@code statement} with the parameters it ran with, executed ({@code ANALYZE}) in a transaction of its
     * own that is rolled back, so that a write leaves the data as it was.
     */
    String explain(Noted statement) throws SQLException {
        try (Connection c = target.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement explain = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, WAL) " + statement.sql())) {
                bind(explain, statement);
                StringBuilder plan = new StringBuilder();
                try (ResultSet rows = explain.executeQuery()) {
                    while (rows.next()) {
                        plan.append(rows.getString(1)).append('\n');
                    }
                }
                return plan.toString();
            } finally {
                c.rollback();
            }
        }
    }

    /** Sets on {@code target} the parameters {@code statement} ran with, as they were set. */
    static void bind(PreparedStatement target, Noted statement) throws SQLException {
        for (Parameter parameter : statement.parameters()) {
            Object[] arguments = parameter.arguments().clone();
            if (arguments[1] instanceof ArrayValue array) {
                arguments[1] = target.getConnection().createArrayOf(array.baseType(), array.elements());
            }
            try {
                invoke(target, parameter.setter(), arguments);
            } catch (SQLException | RuntimeException e) {
                throw e;
            } catch (Throwable e) {
                throw new SQLException(e);
            }
        }
    }

    /** The value {@code statement} ran with at {@code position} (1 for the first). */
    static Object value(Noted statement, int position) {
        return statement.parameters().stream()
                .filter(p -> p.arguments()[0].equals(position))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no parameter " + position + " in " + statement.sql()))
                .arguments()[1];
    }

    private Connection connection(Connection real) {
        return proxy(Connection.class, (proxy, method, args) -> {
            String name = method.getName();
            if (recording && name.equals("commit")) {
                long started = System.nanoTime();
                invoke(real, method, args);
                committed(new Commit(started, System.nanoTime()));
                return null;
            }
            Object result = invoke(real, method, args);
            if (recording && result instanceof PreparedStatement s && args != null && args[0] instanceof String sql) {
                return proxy(PreparedStatement.class, new Recorder(s, sql));
            }
            return result;
        });
    }

    /** Notes one prepared statement, from its preparing to its closing. */
    private final class Recorder implements InvocationHandler {
        private final PreparedStatement real;
        private final String sql;
        private final List<Parameter> parameters = new ArrayList<>();
        private final long prepared = System.nanoTime();
        private boolean bound;
        private boolean executed;
        private long firstExecution;
        private long lastExecutionEnd;

        Recorder(PreparedStatement real, String sql) {
            this.real = real;
            this.sql = sql;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.startsWith("execute")) {
                long started = System.nanoTime();
                Object result = StatementLog.invoke(real, method, args);
                long ended = System.nanoTime();
                if (!executed) {
                    executed = true;
                    firstExecution = started;
                }
                bound = true;
                lastExecutionEnd = ended;
                return result;
            }
            if (name.equals("addBatch")) {
                bound = true;
            } else if (!bound
                    && name.startsWith("set")
                    && args != null
                    && args.length >= 2
                    && args[0] instanceof Integer) {
                Object[] arguments = args.clone();
                if (arguments[1] instanceof Array array) {
                    arguments[1] = new ArrayValue(array.getBaseTypeName(), (Object[]) array.getArray());
                }
                parameters.add(new Parameter(method, arguments));
            } else if (name.equals("close") && !real.isClosed()) {
                Object result = StatementLog.invoke(real, method, args);
                noted(new Noted(
                        sql, List.copyOf(parameters), prepared, firstExecution, lastExecutionEnd, System.nanoTime()));
                return result;
            }
            return StatementLog.invoke(real, method, args);
        }
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(StatementLog.class.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
