package dev.taskengine.internal;

import dev.taskengine.domain.Violation;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where webhooks may be delivered: a subscription's target URL checked as written ({@link #urlViolations}), and each
 * address its host resolves to checked before every delivery ({@link #addressRefusal}), so that a subscription cannot
 * make the engine call into the host's own network (server-side request forgery).
 */
final class WebhookTargets {
    static final int MAX_URL_LENGTH = 2000;

    private WebhookTargets() {}

    /** Every problem with a target URL as a subscription states it; the host is not resolved here. */
    static List<Violation> urlViolations(String url, String pointer, boolean allowHttp) {
        if (url == null || url.isBlank()) {
            return List.of(Violation.of("webhook.url.required", pointer, "A webhook needs a target URL."));
        }
        List<Violation> violations = new ArrayList<>();
        if (url.length() > MAX_URL_LENGTH) {
            violations.add(Violation.of(
                    "webhook.url.tooLong",
                    pointer,
                    "A webhook URL is at most " + MAX_URL_LENGTH + " characters; this one is " + url.length() + "."));
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            violations.add(Violation.of("webhook.url.malformed", pointer, "This is not a URL: " + e.getMessage()));
            return List.copyOf(violations);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            violations.add(Violation.of(
                    "webhook.url.scheme",
                    pointer,
                    allowHttp
                            ? "A webhook URL starts with https:// or http://."
                            : "A webhook URL starts with https://."));
        }
        if (uri.getRawUserInfo() != null) {
            violations.add(Violation.of(
                    "webhook.url.userInfo",
                    pointer,
                    "A webhook URL carries no user name or password; the signature authenticates deliveries."));
        }
        if (uri.getRawFragment() != null) {
            violations.add(
                    Violation.of("webhook.url.fragment", pointer, "A webhook URL has no #fragment: it is never sent."));
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            violations.add(Violation.of("webhook.url.host", pointer, "A webhook URL names a host."));
        }
        // An authority that is not host:port (say a port beyond 65535's digits) leaves the host null: reported above.
        if (uri.getHost() != null && uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
            violations.add(Violation.of(
                    "webhook.url.port",
                    pointer,
                    "A webhook URL's port is from 1 to 65535; this one is " + uri.getPort() + "."));
        }
        return List.copyOf(violations);
    }

    /** Why {@code address} may not receive webhooks; empty when it may. */
    static Optional<String> addressRefusal(InetAddress address, boolean allowLoopback, boolean allowPrivateNetworks) {
        Kind kind = kindOf(address);
        boolean allowed = switch (kind.range()) {
            case PUBLIC -> true;
            case LOOPBACK -> allowLoopback;
            case PRIVATE -> allowPrivateNetworks;
            case NEVER -> false;
        };
        return allowed ? Optional.empty() : Optional.of(address.getHostAddress() + " is " + kind.description());
    }

    private enum Range {
        PUBLIC,
        LOOPBACK,
        PRIVATE,
        NEVER
    }

    private record Kind(Range range, String description) {}

    private static final Kind PUBLIC = new Kind(Range.PUBLIC, "a public address");

    private static Kind kindOf(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 4 ? ipv4(bytes) : ipv6(bytes);
    }

    private static Kind ipv4(byte[] b) {
        int a = b[0] & 0xFF;
        int second = b[1] & 0xFF;
        int third = b[2] & 0xFF;
        int fourth = b[3] & 0xFF;
        if (a == 0) {
            return second == 0 && third == 0 && fourth == 0
                    ? new Kind(Range.NEVER, "the unspecified address")
                    : new Kind(Range.NEVER, "a \"this network\" address (0.0.0.0/8)");
        }
        if (a == 127) {
            return new Kind(Range.LOOPBACK, "a loopback address");
        }
        if (a == 10 || (a == 172 && (second & 0xF0) == 16) || (a == 192 && second == 168)) {
            return new Kind(Range.PRIVATE, "a private network address");
        }
        if (a == 100 && (second & 0xC0) == 64) {
            return new Kind(Range.PRIVATE, "a carrier-grade NAT address (100.64.0.0/10)");
        }
        if (a == 169 && second == 254) {
            return third == 169 && fourth == 254
                    ? new Kind(Range.NEVER, "a link-local address (cloud metadata)")
                    : new Kind(Range.NEVER, "a link-local address");
        }
        if (a == 192 && second == 0 && third == 0) {
            return new Kind(Range.NEVER, "an IETF protocol address (192.0.0.0/24)");
        }
        if ((a == 192 && second == 0 && third == 2)
                || (a == 198 && second == 51 && third == 100)
                || (a == 203 && second == 0 && third == 113)) {
            return new Kind(Range.NEVER, "a documentation address");
        }
        if (a == 198 && (second & 0xFE) == 18) {
            return new Kind(Range.NEVER, "a benchmarking address (198.18.0.0/15)");
        }
        if (a == 192 && second == 88 && third == 99) {
            return new Kind(Range.NEVER, "a deprecated 6to4 relay anycast address (192.88.99.0/24)");
        }
        if ((a & 0xF0) == 224) {
            return new Kind(Range.NEVER, "a multicast address");
        }
        if (a == 255 && second == 255 && third == 255 && fourth == 255) {
            return new Kind(Range.NEVER, "the broadcast address");
        }
        if ((a & 0xF0) == 240) {
            return new Kind(Range.NEVER, "a reserved address (240.0.0.0/4)");
        }
        return PUBLIC;
    }

    private static Kind ipv6(byte[] b) {
        if (zero(b, 0, 16)) {
            return new Kind(Range.NEVER, "the unspecified address");
        }
        if (zero(b, 0, 15) && b[15] == 1) {
            return new Kind(Range.LOOPBACK, "a loopback address");
        }
        if (zero(b, 0, 10) && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF) {
            return embedded(b, 12, "an IPv4-mapped address");
        }
        if (zero(b, 0, 12)) {
            return embedded(b, 12, "an IPv4-compatible address");
        }
        int first = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
        int second = ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
        if (first == 0x64 && second == 0xFF9B && zero(b, 4, 12)) {
            return embedded(b, 12, "a NAT64 address");
        }
        if (first == 0x64 && second == 0xFF9B && b[4] == 0 && b[5] == 1) {
            // 64:ff9b:1::/48 (RFC 8215), for local use: judged, like the well-known prefix, by its last 32 bits.
            return embedded(b, 12, "a local-use NAT64 address");
        }
        if (first == 0x2001 && second == 0) {
            // Teredo tunnels to a client whose (obfuscated) IPv4 address could be anything: never reached.
            return new Kind(Range.NEVER, "a Teredo address (2001::/32)");
        }
        if (first == 0x2002) {
            return embedded(b, 2, "a 6to4 address");
        }
        if (Arrays.equals(b, AWS_METADATA)) {
            return new Kind(Range.NEVER, "a unique-local address (cloud metadata)");
        }
        if ((first & 0xFE00) == 0xFC00) {
            return new Kind(Range.PRIVATE, "a unique-local address");
        }
        if ((first & 0xFFC0) == 0xFEC0) {
            return new Kind(Range.PRIVATE, "a site-local address");
        }
        if ((first & 0xFFC0) == 0xFE80) {
            return new Kind(Range.NEVER, "a link-local address");
        }
        if ((first & 0xFF00) == 0xFF00) {
            return new Kind(Range.NEVER, "a multicast address");
        }
        if (first == 0x2001 && second == 0x0DB8) {
            return new Kind(Range.NEVER, "a documentation address");
        }
        return PUBLIC;
    }

    // fd00:ec2::254, where an EC2 instance finds its metadata over IPv6.
    private static final byte[] AWS_METADATA = {
        (byte) 0xFD, 0, 0x0E, (byte) 0xC2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54
    };

    private static Kind embedded(byte[] b, int from, String what) {
        Inet4Address inner;
        try {
            inner = (Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(b, from, from + 4));
        } catch (UnknownHostException fourBytesAreAnAddress) {
            throw new IllegalStateException(fourBytesAreAnAddress);
        }
        Kind kind = ipv4(inner.getAddress());
        return kind.range() == Range.PUBLIC
                ? PUBLIC
                : new Kind(kind.range(), what + " of " + inner.getHostAddress() + ", which is " + kind.description());
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
