package dev.taskengine.domain;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who makes a change: a user of the tenant, or a part of the system (the engine's scheduler, its sending policy, its
 * stale-task rule, or a host's own automation, named by the host). Every change of a task names one, and its history
 * entry and event carry it. {@link #wireName()} is its stable text form ({@code user:42}, {@code system:scheduler}).
 */
public sealed interface Actor permits Actor.User, Actor.System {

    /** The engine's scheduler: scheduled executions, their outcomes, reminders. */
    Actor SCHEDULER = new System("scheduler");
    /** The sending policy: deferrals of scheduled sends. */
    Actor SENDING_POLICY = new System("sendingPolicy");
    /** The stale-task rule: overdue tasks skipped or archived. */
    Actor STALE_RULE = new System("staleRule");

    static Actor user(UserId id) {
        return new User(id);
    }

    static Actor user(long id) {
        return new User(UserId.of(id));
    }

    /** A part of the system; {@code name} is a letter followed by up to 63 letters, digits, dots or dashes. */
    static Actor system(String name) {
        return new System(name);
    }

    /** The stable text form: {@code user:<id>} or {@code system:<name>}. */
    String wireName();

    /** The actor {@code wireName} names; throws {@link IllegalArgumentException} for text no actor has. */
    static Actor parse(String wireName) {
        Objects.requireNonNull(wireName, "wireName");
        if (wireName.startsWith("user:")) {
            try {
                return user(Long.parseLong(wireName.substring(5)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an actor: " + wireName, e);
            }
        }
        if (wireName.startsWith("system:")) {
            return system(wireName.substring(7));
        }
        throw new IllegalArgumentException("not an actor: " + wireName);
    }

    /** A user of the tenant. */
    record User(UserId id) implements Actor {
        public User {
            Objects.requireNonNull(id, "id");
            if (id.value() <= 0) {
                throw new IllegalArgumentException("an acting user has a positive id, not " + id.value());
            }
        }

        @Override
        public String wireName() {
            return "user:" + id.value();
        }
    }

    /** A part of the system. */
    record System(String name) implements Actor {
        private static final Pattern NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9.-]{0,63}");

        public System {
            Objects.requireNonNull(name, "name");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(
                        "a system actor's name is a letter followed by up to 63 letters, digits, dots or dashes, not '"
                                + name + "'");
            }
        }

        @Override
        public String wireName() {
            return "system:" + name;
        }
    }
}
