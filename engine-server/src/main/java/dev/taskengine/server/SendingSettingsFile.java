package dev.taskengine.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.Holidays;
import dev.taskengine.domain.SendingAccount;
import dev.taskengine.domain.SendingLimits;
import dev.taskengine.domain.SendingWindows;
import dev.taskengine.domain.SendingWindows.TimeRange;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.spi.SendingSettings;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the server's sending policy from a JSON file into {@link SendingSettings}. Every part is optional:
 *
 * <pre>
 * {"defaults": {"limits": LIMITS, "windows": WINDOWS, "holidays": ["2026-12-25"]},
 *  "tenants": {"acme": {"limits": LIMITS, "accounts": {"email:12": LIMITS, "sms:+15550100": LIMITS},
 *                       "windows": WINDOWS, "sequences": {"42": WINDOWS}, "holidays": ["2026-12-24"]}}}
 * LIMITS  = {"perDay": 200, "perHour": 20, "minimumGap": "PT30S", "jitter": "PT20S"}   ({} is no limit)
 * WINDOWS = {"zone": "Europe/Berlin", "days": {"MONDAY": [{"from": "09:00", "to": "17:00"}], ...}}
 * </pre>
 *
 * A file that does not hold such settings is refused with every problem at once, each at its JSON pointer.
 */
public final class SendingSettingsFile extends JsonSettingsReader {
    private static final Set<String> TOP = fields("defaults", "tenants");
    private static final Set<String> DEFAULTS = fields("limits", "windows", "holidays");
    private static final Set<String> TENANT = fields("limits", "accounts", "windows", "sequences", "holidays");
    private static final Set<String> LIMITS = fields("perDay", "perHour", "minimumGap", "jitter");
    private static final Set<String> WINDOWS = fields("zone", "days");
    private static final Set<String> RANGE = fields("from", "to");
    private static final Set<String> DAY_NAMES =
            Arrays.stream(DayOfWeek.values()).map(DayOfWeek::name).collect(Collectors.toCollection(LinkedHashSet::new));
    private static final Pattern POSITIVE_NUMBER = Pattern.compile("[1-9][0-9]{0,17}");

    /** What a time zone is, in the words of every file the server reads. */
    static final String TIME_ZONE = "an IANA time zone such as \"Europe/Berlin\"";

    private SendingSettingsFile() {}

    /** The settings {@code file} holds; refused with an {@link IllegalArgumentException} naming every problem. */
    public static SendingSettings load(Path file) {
        JsonNode root = read(file, "sending settings file");
        SendingSettingsFile reader = new SendingSettingsFile();
        SendingSettings settings = reader.settings(root);
        reader.refuseIfAnyProblem(file, "sending settings file");
        return settings;
    }

    private SendingSettings settings(JsonNode root) {
        SendingSettings.Builder builder = SendingSettings.builder();
        if (root == null || root.isMissingNode() || !root.isObject()) {
            problem("", "the file holds a JSON object (with \"defaults\" and \"tenants\", both optional)");
            return builder.build();
        }
        knownFields(root, "", TOP);
        JsonNode defaults = present(root, "defaults");
        if (defaults != null && object(defaults, "/defaults", DEFAULTS)) {
            limits(defaults.get("limits"), "/defaults/limits").ifPresent(builder::defaultLimits);
            windows(defaults.get("windows"), "/defaults/windows").ifPresent(builder::defaultWindows);
            holidays(defaults.get("holidays"), "/defaults/holidays").ifPresent(builder::defaultHolidays);
        }
        JsonNode tenants = present(root, "tenants");
        if (tenants != null && objectOf(tenants, "/tenants", "an object of tenants by their id")) {
            for (Map.Entry<String, JsonNode> entry : entries(tenants)) {
                String at = "/tenants/" + escape(entry.getKey());
                Optional<TenantId> tenant = tenant(entry.getKey(), at);
                if (object(entry.getValue(), at, TENANT)) {
                    tenant(tenant, entry.getValue(), at, builder);
                }
            }
        }
        return builder.build();
    }

    private void tenant(Optional<TenantId> id, JsonNode tenant, String at, SendingSettings.Builder builder) {
        Optional<SendingLimits> limits = limits(tenant.get("limits"), at + "/limits");
        Optional<SendingWindows> windows = windows(tenant.get("windows"), at + "/windows");
        Optional<Holidays> holidays = holidays(tenant.get("holidays"), at + "/holidays");
        id.ifPresent(t -> {
            limits.ifPresent(l -> builder.tenantLimits(t, l));
            windows.ifPresent(w -> builder.tenantWindows(t, w));
            holidays.ifPresent(h -> builder.tenantHolidays(t, h));
        });
        keyed(tenant.get("accounts"), at + "/accounts", "an object of limits by sending account", this::account)
                .forEach((account, node) -> limits(node, at + "/accounts/" + escape(account.value()))
                        .ifPresent(l -> id.ifPresent(t -> builder.accountLimits(t, account, l))));
        keyed(tenant.get("sequences"), at + "/sequences", "an object of windows by sequence id", this::sequence)
                .forEach((sequence, node) -> windows(node, at + "/sequences/" + sequence.value())
                        .ifPresent(w -> id.ifPresent(t -> builder.sequenceWindows(t, sequence, w))));
    }

    /** The entries of an object whose keys {@code key} reads (a key it cannot read is reported, its value skipped). */
    private <K> Map<K, JsonNode> keyed(
            JsonNode node, String at, String expected, BiFunction<String, String, Optional<K>> key) {
        Map<K, JsonNode> keyed = new java.util.LinkedHashMap<>();
        if (node == null || node.isNull() || !objectOf(node, at, expected)) {
            return keyed;
        }
        for (Map.Entry<String, JsonNode> entry : entries(node)) {
            key.apply(entry.getKey(), at + "/" + escape(entry.getKey())).ifPresent(k -> keyed.put(k, entry.getValue()));
        }
        return keyed;
    }

    private Optional<SendingLimits> limits(JsonNode node, String at) {
        if (node == null || node.isNull() || !object(node, at, LIMITS)) {
            return Optional.empty();
        }
        int before = problemCount();
        OptionalInt perDay = count(node.get("perDay"), at + "/perDay");
        OptionalInt perHour = count(node.get("perHour"), at + "/perHour");
        Optional<Duration> minimumGap = duration(node.get("minimumGap"), at + "/minimumGap");
        Optional<Duration> jitter = duration(node.get("jitter"), at + "/jitter");
        if (present(node, "jitter") != null && present(node, "minimumGap") == null) {
            problem(at + "/jitter", "jitter lengthens the minimum gap: set a minimumGap with it");
        }
        if (problemCount() > before) {
            return Optional.empty();
        }
        return Optional.of(new SendingLimits(perDay, perHour, minimumGap, jitter));
    }

    private OptionalInt count(JsonNode node, String at) {
        if (node == null || node.isNull()) {
            return OptionalInt.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1) {
            problem(at, "a whole number of sends, at least 1 (leave it out for no limit), not " + node);
            return OptionalInt.empty();
        }
        return OptionalInt.of(node.intValue());
    }

    private Optional<Duration> duration(JsonNode node, String at) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        String expected = "an ISO-8601 duration such as \"PT30S\" or \"PT5M\", not negative";
        if (!node.isTextual()) {
            problem(at, expected + ", not " + node);
            return Optional.empty();
        }
        try {
            Duration duration = Duration.parse(node.textValue());
            if (duration.isNegative()) {
                problem(at, "a duration that is not negative, not " + node);
                return Optional.empty();
            }
            return Optional.of(duration);
        } catch (DateTimeException e) {
            problem(at, expected + ", not " + node);
            return Optional.empty();
        }
    }

    private Optional<SendingWindows> windows(JsonNode node, String at) {
        if (node == null || node.isNull() || !object(node, at, WINDOWS)) {
            return Optional.empty();
        }
        int before = problemCount();
        ZoneId zone = zone(node.get("zone"), at + "/zone");
        Map<DayOfWeek, List<TimeRange>> days = new EnumMap<>(DayOfWeek.class);
        JsonNode daysNode = present(node, "days");
        if (daysNode == null || (daysNode.isObject() && daysNode.isEmpty())) {
            problem(
                    at + "/days",
                    "windows list at least one day, e.g. {\"MONDAY\": [{\"from\": \"09:00\", \"to\": \"17:00\"}]}"
                            + " (leave the windows out to send at any time)");
        } else if (objectOf(daysNode, at + "/days", "an object of time ranges by day of the week")) {
            for (Map.Entry<String, JsonNode> entry : entries(daysNode)) {
                String dayAt = at + "/days/" + escape(entry.getKey());
                Optional<DayOfWeek> day = day(entry.getKey(), dayAt);
                List<TimeRange> ranges = ranges(entry.getValue(), dayAt);
                day.ifPresent(d -> days.put(d, ranges));
            }
        }
        if (problemCount() > before) {
            return Optional.empty();
        }
        return Optional.of(new SendingWindows(zone, days));
    }

    private ZoneId zone(JsonNode node, String at) {
        if (node == null || node.isNull()) {
            return ZoneOffset.UTC;
        }
        return zoneId(node, at).orElse(ZoneOffset.UTC);
    }

    private Optional<ZoneId> zoneId(JsonNode node, String at) {
        Optional<ZoneId> zone = node.isTextual() ? timeZone(node.textValue()) : Optional.empty();
        if (zone.isEmpty()) {
            problem(at, TIME_ZONE + ", not " + node);
        }
        return zone;
    }

    /** The zone {@code name} names ({@link #TIME_ZONE}), empty when it names none. */
    static Optional<ZoneId> timeZone(String name) {
        try {
            return Optional.of(ZoneId.of(name));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private Optional<DayOfWeek> day(String name, String at) {
        if (!DAY_NAMES.contains(name)) {
            problem(at, "a day of the week, one of " + DAY_NAMES);
            return Optional.empty();
        }
        return Optional.of(DayOfWeek.valueOf(name));
    }

    private List<TimeRange> ranges(JsonNode node, String at) {
        List<TimeRange> ranges = new ArrayList<>();
        if (!node.isArray() || node.isEmpty()) {
            problem(
                    at,
                    "a non-empty array of time ranges such as [{\"from\": \"09:00\", \"to\": \"17:00\"}]"
                            + " (leave the day out to close it)");
            return ranges;
        }
        for (int i = 0; i < node.size(); i++) {
            String rangeAt = at + "/" + i;
            JsonNode range = node.get(i);
            if (!object(range, rangeAt, RANGE)) {
                continue;
            }
            Optional<LocalTime> from = time(range.get("from"), rangeAt + "/from");
            Optional<LocalTime> to = time(range.get("to"), rangeAt + "/to");
            if (from.isPresent() && to.isPresent()) {
                if (from.get().equals(to.get()) && !from.get().equals(LocalTime.MIDNIGHT)) {
                    problem(
                            rangeAt,
                            "an empty time range " + from.get() + "–" + to.get()
                                    + " (for the whole day use 00:00–00:00)");
                } else {
                    ranges.add(new TimeRange(from.get(), to.get()));
                }
            }
        }
        return ranges;
    }

    private Optional<LocalTime> time(JsonNode node, String at) {
        String expected = "a local time such as \"09:00\"";
        if (node == null || node.isNull()) {
            problem(at, expected + " is required");
            return Optional.empty();
        }
        if (node.isTextual()) {
            try {
                return Optional.of(LocalTime.parse(node.textValue()));
            } catch (DateTimeException e) {
                // falls through to the problem below
            }
        }
        problem(at, expected + ", not " + node);
        return Optional.empty();
    }

    private Optional<Holidays> holidays(JsonNode node, String at) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isArray()) {
            problem(at, "an array of dates such as [\"2026-12-25\"], not " + node);
            return Optional.empty();
        }
        int before = problemCount();
        Set<LocalDate> dates = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode date = node.get(i);
            try {
                if (date.isTextual()) {
                    dates.add(LocalDate.parse(date.textValue()));
                    continue;
                }
            } catch (DateTimeException e) {
                // falls through to the problem below
            }
            problem(at + "/" + i, "a date such as \"2026-12-25\", not " + date);
        }
        return problemCount() > before ? Optional.empty() : Optional.of(new Holidays(dates));
    }

    private Optional<SendingAccount> account(String key, String at) {
        if (key.startsWith("email:")
                && POSITIVE_NUMBER.matcher(key.substring("email:".length())).matches()) {
            return Optional.of(
                    SendingAccount.email(EmailAccountId.of(Long.parseLong(key.substring("email:".length())))));
        }
        if (key.startsWith("sms:")
                && !key.substring("sms:".length()).isBlank()
                && key.length() <= SendingAccount.MAX_LENGTH) {
            return Optional.of(SendingAccount.sms(key.substring("sms:".length())));
        }
        problem(
                at,
                "a sending account is email:<account number> or sms:<sending identity>, at most "
                        + SendingAccount.MAX_LENGTH + " characters");
        return Optional.empty();
    }

    private Optional<SequenceId> sequence(String key, String at) {
        if (POSITIVE_NUMBER.matcher(key).matches()) {
            return Optional.of(SequenceId.of(Long.parseLong(key)));
        }
        problem(at, "a sequence id is a positive integer");
        return Optional.empty();
    }

    private boolean objectOf(JsonNode node, String at, String expected) {
        if (!node.isObject()) {
            problem(at, expected + ", not " + node);
            return false;
        }
        return true;
    }

    /** The field {@code name} of {@code node}, or null when it is absent or null: every part of the file is optional. */
    private static JsonNode present(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }
}
