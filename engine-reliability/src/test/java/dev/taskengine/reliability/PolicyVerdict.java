package dev.taskengine.reliability;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the sender's record says about a run of {@link PolicyWeek}, counted from the deliveries alone (never from the
 * engine's state): how often each task was delivered, the most deliveries of one account in any rolling 24 hours and
 * in any rolling hour, the shortest time between two consecutive deliveries of one account, and the deliveries outside
 * the windows or on a holiday in the recipient's local time.
 */
record PolicyVerdict(
        int tasks,
        long sentOnce,
        long sentMoreThanOnce,
        long keysDeliveredTwice,
        long lost,
        long notOurs,
        int mostPerDay,
        int mostPerHour,
        Duration shortestGap,
        long outsideWindows,
        long onHolidays,
        Instant lastDelivery,
        List<String> violations) {

    static PolicyVerdict of(Collection<PolicySend> deliveries, Set<Long> taskIds) {
        Map<Long, Long> perTask =
                deliveries.stream().collect(Collectors.groupingBy(PolicySend::taskId, Collectors.counting()));
        Map<String, Long> perKey =
                deliveries.stream().collect(Collectors.groupingBy(PolicySend::key, Collectors.counting()));
        long once =
                taskIds.stream().filter(id -> perTask.getOrDefault(id, 0L) == 1).count();
        long moreThanOnce =
                taskIds.stream().filter(id -> perTask.getOrDefault(id, 0L) > 1).count();
        long lost = taskIds.stream().filter(id -> !perTask.containsKey(id)).count();
        long notOurs =
                perTask.keySet().stream().filter(id -> !taskIds.contains(id)).count();
        long keysTwice = perKey.values().stream().filter(n -> n > 1).count();

        List<String> violations = new ArrayList<>();
        int mostPerDay = 0;
        int mostPerHour = 0;
        Duration shortestGap = null;
        Map<Long, List<Instant>> perAccount = deliveries.stream()
                .collect(Collectors.groupingBy(
                        PolicySend::account, Collectors.mapping(PolicySend::at, Collectors.toList())));
        for (Map.Entry<Long, List<Instant>> account : perAccount.entrySet()) {
            List<Instant> times = account.getValue().stream().sorted().toList();
            int perDay = mostWithin(times, Duration.ofHours(24));
            int perHour = mostWithin(times, Duration.ofHours(1));
            mostPerDay = Math.max(mostPerDay, perDay);
            mostPerHour = Math.max(mostPerHour, perHour);
            if (perDay > PolicyWeek.PER_DAY) {
                violations.add("account " + account.getKey() + ": " + perDay + " deliveries within 24 hours");
            }
            if (perHour > PolicyWeek.PER_HOUR) {
                violations.add("account " + account.getKey() + ": " + perHour + " deliveries within an hour");
            }
            for (int i = 1; i < times.size(); i++) {
                Duration gap = Duration.between(times.get(i - 1), times.get(i));
                if (shortestGap == null || gap.compareTo(shortestGap) < 0) {
                    shortestGap = gap;
                }
                if (gap.compareTo(PolicyWeek.MINIMUM_GAP) < 0) {
                    violations.add("account " + account.getKey() + ": deliveries at " + times.get(i - 1) + " and "
                            + times.get(i));
                }
            }
        }
        long outside = 0;
        long holidays = 0;
        for (PolicySend send : deliveries) {
            if (!PolicyWeek.insideWindow(send.at(), send.zone())) {
                outside++;
                violations.add("outside the window: " + describe(send));
            }
            if (PolicyWeek.onHoliday(send.at(), send.zone())) {
                holidays++;
                violations.add("on a holiday: " + describe(send));
            }
        }
        Instant last =
                deliveries.stream().map(PolicySend::at).max(Instant::compareTo).orElse(PolicyWeek.START);
        return new PolicyVerdict(
                taskIds.size(),
                once,
                moreThanOnce,
                keysTwice,
                lost,
                notOurs,
                mostPerDay,
                mostPerHour,
                shortestGap == null ? Duration.ZERO : shortestGap,
                outside,
                holidays,
                last,
                List.copyOf(violations));
    }

    /** The most of the sorted {@code times} within any half-open window {@code [t, t + length)}. */
    private static int mostWithin(List<Instant> times, Duration length) {
        int most = 0;
        int end = 0;
        for (int start = 0; start < times.size(); start++) {
            Instant limit = times.get(start).plus(length);
            while (end < times.size() && times.get(end).isBefore(limit)) {
                end++;
            }
            most = Math.max(most, end - start);
        }
        return most;
    }

    private static String describe(PolicySend send) {
        return "task " + send.taskId() + " to contact " + send.contact() + " at " + send.at() + " ("
                + send.at().atZone(send.zone()) + ")";
    }

    /** Simulated days from the start of the week to the last delivery. */
    double simulatedDays() {
        return Duration.between(PolicyWeek.START, lastDelivery).toMinutes() / (24.0 * 60);
    }

    /** The figures as one POLICY line, after {@code label}. */
    void report(String label, String more) {
        Figures.policy(
                "%s: %d tasks, %d accounts, %d zones, %d holidays: %d sent once, %d twice, %d lost; most per 24 h %d"
                        + " (limit %d), per hour %d (%d), shortest gap %.1f s (%d s); %d outside windows, %d on"
                        + " holidays; %.1f simulated days; %s",
                label,
                tasks,
                PolicyWeek.ACCOUNTS,
                PolicyWeek.ZONES.size(),
                PolicyWeek.HOLIDAYS.size(),
                sentOnce,
                sentMoreThanOnce,
                lost,
                mostPerDay,
                PolicyWeek.PER_DAY,
                mostPerHour,
                PolicyWeek.PER_HOUR,
                shortestGap.toMillis() / 1000.0,
                PolicyWeek.MINIMUM_GAP.toSeconds(),
                outsideWindows,
                onHolidays,
                simulatedDays(),
                more);
    }
}
