package dev.taskengine.spi;

import dev.taskengine.domain.Holidays;
import dev.taskengine.domain.SendingAccount;
import dev.taskengine.domain.SendingLimits;
import dev.taskengine.domain.SendingWindows;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.TenantId;
import java.util.Optional;

/**
 * The host's sending policy: how much each sending account may send, in which windows scheduled sends go, and on which
 * dates none does. The engine asks it for every send it decides, so an implementation answers quickly (from memory;
 * {@link SendingSettings} is one) and never throws.
 *
 * <p>Limits apply to every send, scheduled or by hand; windows and holidays to scheduled sends only.
 */
public interface SendingRules {

    /** The limits of {@code account} in {@code tenant} ({@link SendingLimits#none()} for none). */
    SendingLimits limits(TenantId tenant, SendingAccount account);

    /**
     * The windows a scheduled send of {@code tenant} goes in, for a task of {@code sequence} (empty for a task of no
     * sequence); read in the recipient's time zone when the contact has one.
     */
    SendingWindows windows(TenantId tenant, Optional<SequenceId> sequence);

    /** The dates on which {@code tenant} sends nothing automatically, read in the recipient's time zone. */
    Holidays holidays(TenantId tenant);

    /** No limit, no window, no holiday: every due task is sent at once (the default). */
    static SendingRules none() {
        return SendingSettings.builder().build();
    }
}
