package dev.taskengine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.domain.Violation;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhookTargetsTest {
    private static final String POINTER = "/webhooks/0/url";

    @Test
    void anHttpsUrlWithAHostHasNoProblem() {
        assertThat(WebhookTargets.urlViolations("https://hooks.example.com/in?x=1", POINTER, false))
                .isEmpty();
    }

    @Test
    void aMissingUrlIsRequired() {
        assertThat(codes(WebhookTargets.urlViolations(null, POINTER, false))).containsExactly("webhook.url.required");
    }

    @Test
    void aBlankUrlIsRequired() {
        assertThat(codes(WebhookTargets.urlViolations("  ", POINTER, false))).containsExactly("webhook.url.required");
    }

    @Test
    void aUrlThatDoesNotParseIsMalformed() {
        assertThat(codes(WebhookTargets.urlViolations("https://hooks.example.com/a b", POINTER, false)))
                .containsExactly("webhook.url.malformed");
    }

    @Test
    void anHttpUrlIsRefusedUnlessHttpIsAllowed() {
        assertThat(codes(WebhookTargets.urlViolations("http://hooks.example.com/", POINTER, false)))
                .containsExactly("webhook.url.scheme");
    }

    @Test
    void anHttpUrlIsFineWhenHttpIsAllowed() {
        assertThat(WebhookTargets.urlViolations("http://hooks.example.com/", POINTER, true))
                .isEmpty();
    }

    @Test
    void anotherSchemeIsRefusedEvenWhenHttpIsAllowed() {
        assertThat(codes(WebhookTargets.urlViolations("ftp://hooks.example.com/", POINTER, true)))
                .containsExactly("webhook.url.scheme");
    }

    @Test
    void aRelativeUrlHasNeitherSchemeNorHost() {
        assertThat(codes(WebhookTargets.urlViolations("/hooks/in", POINTER, false)))
                .containsExactly("webhook.url.scheme", "webhook.url.host");
    }

    @Test
    void credentialsInTheUrlAreRefused() {
        assertThat(codes(WebhookTargets.urlViolations("https://user:pass@hooks.example.com/", POINTER, false)))
                .containsExactly("webhook.url.userInfo");
    }

    @Test
    void aFragmentIsRefused() {
        assertThat(codes(WebhookTargets.urlViolations("https://hooks.example.com/#top", POINTER, false)))
                .containsExactly("webhook.url.fragment");
    }

    @Test
    void aUrlWithoutAHostIsRefused() {
        assertThat(codes(WebhookTargets.urlViolations("https:///in", POINTER, false)))
                .containsExactly("webhook.url.host");
    }

    @Test
    void aUrlOfTwoThousandCharactersIsFine() {
        String url = "https://hooks.example.com/" + "a".repeat(2000 - 26);
        assertThat(WebhookTargets.urlViolations(url, POINTER, false)).isEmpty();
    }

    @Test
    void aUrlLongerThanTwoThousandCharactersIsTooLong() {
        String url = "https://hooks.example.com/" + "a".repeat(2001 - 26);
        assertThat(codes(WebhookTargets.urlViolations(url, POINTER, false))).containsExactly("webhook.url.tooLong");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThat(codes(WebhookTargets.urlViolations("http://u:p@hooks.example.com/#x", POINTER, false)))
                .containsExactly("webhook.url.scheme", "webhook.url.userInfo", "webhook.url.fragment");
    }

    @ParameterizedTest
    @CsvSource({"https://example.com:99999/", "https://example.com:0/", "https://example.com:65536/"})
    void aPortOutOfRangeIsRefused(String url) {
        assertThat(codes(WebhookTargets.urlViolations(url, POINTER, false))).containsExactly("webhook.url.port");
    }

    @ParameterizedTest
    @CsvSource({"https://example.com:1/", "https://example.com:65535/", "https://example.com:8443/in"})
    void aPortInRangeIsFine(String url) {
        assertThat(WebhookTargets.urlViolations(url, POINTER, false)).isEmpty();
    }

    @Test
    void violationsPointWhereTheCallerSays() {
        assertThat(WebhookTargets.urlViolations("ftp://x", POINTER, false))
                .extracting(Violation::pointer)
                .containsOnly(POINTER);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            93.184.215.14           | allowed
            8.8.8.8                 | allowed
            2606:4700:4700::1111    | allowed
            127.0.0.1               | is a loopback address
            127.255.0.9             | is a loopback address
            ::1                     | is a loopback address
            10.1.2.3                | is a private network address
            172.16.0.1              | is a private network address
            172.31.255.255          | is a private network address
            172.32.0.1              | allowed
            192.168.1.1             | is a private network address
            100.64.0.1              | is a carrier-grade NAT address
            100.127.255.255         | is a carrier-grade NAT address
            100.128.0.1             | allowed
            fc00::1                 | is a unique-local address
            fd12:3456::1            | is a unique-local address
            0.0.0.0                 | is the unspecified address
            ::                      | is the unspecified address
            0.1.2.3                 | is a "this network" address
            169.254.169.254         | is a link-local address (cloud metadata)
            169.254.1.1             | is a link-local address
            fe80::1                 | is a link-local address
            fd00:ec2::254           | is a unique-local address (cloud metadata)
            224.0.0.1               | is a multicast address
            239.255.255.250         | is a multicast address
            ff02::1                 | is a multicast address
            255.255.255.255         | is the broadcast address
            240.0.0.1               | is a reserved address
            192.0.0.8               | is an IETF protocol address
            198.18.0.1              | is a benchmarking address
            198.19.255.255          | is a benchmarking address
            198.20.0.1              | allowed
            192.0.2.1               | is a documentation address
            198.51.100.1            | is a documentation address
            203.0.113.1             | is a documentation address
            2001:db8::1             | is a documentation address
            64:ff9b::a9fe:a9fe      | is a NAT64 address of 169.254.169.254, which is a link-local address (cloud metadata)
            64:ff9b::808:808        | allowed
            2002:a00:1::1           | is a 6to4 address of 10.0.0.1, which is a private network address
            2002:808:808::1         | allowed
            64:ff9b:1::a9fe:a9fe    | is a local-use NAT64 address of 169.254.169.254, which is a link-local address (cloud metadata)
            64:ff9b:1:2::a00:1      | is a local-use NAT64 address of 10.0.0.1, which is a private network address
            64:ff9b:1::808:808      | allowed
            2001::1                 | is a Teredo address
            2001:0:4136:e378:8000:63bf:3fff:fdd2 | is a Teredo address
            2001:1::1               | allowed
            192.88.99.1             | is a deprecated 6to4 relay anycast address
            192.88.98.1             | allowed
            ::7f00:1                | is an IPv4-compatible address of 127.0.0.1, which is a loopback address
            """)
    void anAddressIsRefusedForWhatItIs(String address, String verdict) throws UnknownHostException {
        InetAddress resolved = InetAddress.getByName(address);
        if (verdict.equals("allowed")) {
            assertThat(WebhookTargets.addressRefusal(resolved, false, false)).isEmpty();
        } else {
            assertThat(WebhookTargets.addressRefusal(resolved, false, false))
                    .get()
                    .asString()
                    .startsWith(resolved.getHostAddress() + " " + verdict);
        }
    }

    @Test
    void anIpv4MappedIpv6AddressIsJudgedByItsIpv4Address() throws UnknownHostException {
        byte[] mapped = {
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 169, (byte) 254, (byte) 169, (byte) 254
        };
        InetAddress address = Inet6Address.getByAddress(null, mapped, -1);

        assertThat(WebhookTargets.addressRefusal(address, true, true))
                .get()
                .asString()
                .contains("IPv4-mapped address of 169.254.169.254");
    }

    @Test
    void loopbackIsAllowedWhenLoopbackIsAllowed() throws UnknownHostException {
        assertThat(WebhookTargets.addressRefusal(InetAddress.getByName("127.0.0.1"), true, false))
                .isEmpty();
        assertThat(WebhookTargets.addressRefusal(InetAddress.getByName("::1"), true, false))
                .isEmpty();
    }

    @Test
    void loopbackIsNotAllowedByAllowingPrivateNetworks() throws UnknownHostException {
        assertThat(WebhookTargets.addressRefusal(InetAddress.getByName("127.0.0.1"), false, true))
                .isPresent();
    }

    @ParameterizedTest
    @CsvSource({"10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "fd12:3456::1", "2002:a00:1::1"})
    void privateNetworksAreAllowedWhenPrivateNetworksAreAllowed(String address) throws UnknownHostException {
        assertThat(WebhookTargets.addressRefusal(InetAddress.getByName(address), false, true))
                .isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"0.0.0.0", "169.254.169.254", "fe80::1", "fd00:ec2::254", "224.0.0.1", "255.255.255.255", "240.0.0.1"})
    void someAddressesAreNeverAllowed(String address) throws UnknownHostException {
        assertThat(WebhookTargets.addressRefusal(InetAddress.getByName(address), true, true))
                .isPresent();
    }

    private static List<String> codes(List<Violation> violations) {
        return violations.stream().map(Violation::code).toList();
    }
}
