package dev.taskengine.adapter.jdbi;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A statement written with named parameters ({@code :name}), run as a plain JDBC prepared statement with {@code ?} in
 * their places: for statements on the scheduler's path, where Jdbi's per-statement work is most of the caller's CPU.
 * The names are resolved once, when the statement is made.
 */
record PositionalSql(String sql, List<String> names) {
    private static final Pattern PARAMETER = Pattern.compile("(?<!:):([A-Za-z_][A-Za-z0-9_]*)");

    /** How a named parameter's value is set. */
    @FunctionalInterface
    interface Value {
        void set(PreparedStatement statement, int position) throws SQLException;
    }

    PositionalSql {
        names = List.copyOf(names);
    }

    static PositionalSql of(String named) {
        List<String> names = new ArrayList<>();
        Matcher parameter = PARAMETER.matcher(named);
        StringBuilder sql = new StringBuilder();
        while (parameter.find()) {
            names.add(parameter.group(1));
            parameter.appendReplacement(sql, "?");
        }
        parameter.appendTail(sql);
        return new PositionalSql(sql.toString(), names);
    }

    /** Sets every parameter from {@code values}, by name; a name without a value is a bug in the caller. */
    void bind(PreparedStatement statement, Map<String, Value> values) throws SQLException {
        for (int i = 0; i < names.size(); i++) {
            Value value = values.get(names.get(i));
            if (value == null) {
                throw new IllegalStateException("no value for :" + names.get(i) + " in " + sql);
            }
            value.set(statement, i + 1);
        }
    }
}
