package dev.switchboard.discovery.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.discovery.InstanceHealth;
import dev.switchboard.discovery.ServiceInstance;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The conversion rules on hand-written health responses (Consul's JSON shape, our rules). */
class InstanceParserTest {

    static String entry(String node, String nodeAddr, String id, String addr, Object port, String weights,
            String tags, String... checks) {
        StringBuilder c = new StringBuilder();
        for (String check : checks) {
            String[] p = check.split("=");
            c.append(c.length() == 0 ? "" : ",").append("{\"CheckID\":\"").append(p[0]).append("\",\"Status\":\"")
                    .append(p[1]).append("\"}");
        }
        return "{\"Node\":{\"Node\":\"" + node + "\",\"Address\":\"" + nodeAddr + "\"},"
                + "\"Service\":{\"ID\":\"" + id + "\",\"Service\":\"web\",\"Address\":\"" + addr + "\",\"Port\":" + port
                + (weights == null ? "" : ",\"Weights\":" + weights)
                + ",\"Tags\":" + (tags == null ? "null" : tags) + ",\"Meta\":{\"b\":\"2\",\"a\":\"1\"}},"
                + "\"Checks\":[" + c + "]}";
    }

    static String array(String... entries) {
        return "[" + String.join(",", entries) + "]";
    }

    @Test
    void serviceAddressElseNodeAddressIdentityIsNodePlusId() throws Exception {
        var p = InstanceParser.parse("web", array(
                entry("n1", "10.0.0.1", "web-1", "", 8080, null, "[\"urlprefix-/\"]", "serfHealth=passing"),
                entry("n2", "10.0.0.2", "web-1", "192.168.1.5", 8081, null, "[]", "serfHealth=passing")), false);
        assertThat(p.skipped()).isZero();
        assertThat(p.snapshot().describe()).isEqualTo("""
                web
                  n1/web-1 10.0.0.1:8080 weight=1 passing tags=urlprefix-/ meta={a=1, b=2}
                  n2/web-1 192.168.1.5:8081 weight=1 passing meta={a=1, b=2}
                """);
    }

    @Test
    void weightsComeFromPassingOrWarningAndAreAtLeastOne() throws Exception {
        var p = InstanceParser.parse("web", array(
                entry("n1", "10.0.0.1", "a", "", 1, "{\"Passing\":10,\"Warning\":2}", "[]", "c=passing"),
                entry("n1", "10.0.0.1", "b", "", 2, "{\"Passing\":10,\"Warning\":2}", "[]", "c=warning"),
                entry("n1", "10.0.0.1", "c", "", 3, "{\"Passing\":0,\"Warning\":0}", "[]"),
                entry("n1", "10.0.0.1", "d", "", 4, "{\"Passing\":99999999999}", "[]")), true);
        assertThat(p.snapshot().instances()).extracting(ServiceInstance::weight).containsExactly(10, 2, 1,
                InstanceParser.MAX_WEIGHT);
        assertThat(p.snapshot().instances()).extracting(ServiceInstance::health).containsExactly(
                InstanceHealth.PASSING, InstanceHealth.WARNING, InstanceHealth.PASSING, InstanceHealth.PASSING);
    }

    @Test
    void healthIsTheWorstCheckAndWarningIsRoutableOnlyIfIncluded() throws Exception {
        String body = array(
                entry("n1", "10.0.0.1", "ok", "", 1, null, "[]", "serfHealth=passing", "svc=passing"),
                entry("n1", "10.0.0.1", "warn", "", 2, null, "[]", "serfHealth=passing", "svc=warning"),
                entry("n1", "10.0.0.1", "crit", "", 3, null, "[]", "serfHealth=warning", "svc=critical"),
                entry("n1", "10.0.0.1", "odd", "", 4, null, "[]", "svc=maintenance-ish"));
        assertThat(ids(InstanceParser.parse("web", body, false))).containsExactly("ok");
        assertThat(ids(InstanceParser.parse("web", body, true))).containsExactly("ok", "warn");
        assertThat(InstanceParser.parse("web", body, true).skipped()).isZero();
        // The rest stay, marked critical: their tags keep the service's routes (answering 503).
        assertThat(InstanceParser.parse("web", body, false).snapshot().instances())
                .extracting(i -> i.id().serviceId() + "=" + i.health())
                .containsExactly("crit=CRITICAL", "odd=CRITICAL", "ok=PASSING", "warn=CRITICAL");
    }

    @Test
    void nodeAndServiceMaintenanceExclude() throws Exception {
        String body = array(
                entry("n1", "10.0.0.1", "a", "", 1, null, "[]", "_node_maintenance=critical"),
                entry("n2", "10.0.0.2", "b", "", 2, null, "[]", "_service_maintenance:b=critical"),
                entry("n2", "10.0.0.2", "c", "", 3, null, "[]", "serfHealth=passing"));
        var p = InstanceParser.parse("web", body, true);
        assertThat(ids(p)).containsExactly("c");
        assertThat(p.skipped()).isZero();
    }

    @Test
    void badDataIsSkippedAndCountedNotThrown() throws Exception {
        String body = array(
                entry("n1", "", "noaddr", "", 1, null, "[]"),
                entry("n1", "10.0.0.1", "port0", "", 0, null, "[]"),
                entry("n1", "10.0.0.1", "porthigh", "", 70000, null, "[]"),
                entry("n1", "10.0.0.1", "dup", "", 5, null, "[]"),
                entry("n1", "10.0.0.1", "dup", "", 6, null, "[]"),
                entry("n1", "10.0.0.1", "nulltag", "", 7, null, "[null]"),
                entry("n1", "10.0.0.1", "ctl", "", 8, null, "[\"a\\nb\"]"),
                entry("n1", "10.0.0.1", "spaces", "bad host", 9, null, "[]"),
                entry("", "10.0.0.1", "nonode", "", 10, null, "[]"),
                "null",
                entry("n1", "10.0.0.1", "good", "", 11, null, "[]"));
        var p = InstanceParser.parse("web", body, false);
        assertThat(ids(p)).containsExactly("dup", "good");
        assertThat(p.snapshot().instances().get(0).port()).isEqualTo(5);
        assertThat(p.skipped()).isEqualTo(9);
        assertThat(p.firstProblem()).isEqualTo("address of n1/noaddr: '' (expected: a host name or IP)");
    }

    @Test
    void everySkippedEntryIsReportedWithItsIdentity() throws Exception {
        var p = InstanceParser.parse("web", array(
                entry("n1", "10.0.0.1", "port0", "", 0, null, "[]"),
                entry("n1", "10.0.0.1", "good", "", 11, null, "[]"),
                entry("n1", "10.0.0.1", "hostport", "10.0.0.1:8080", 1, null, "[]"),
                entry("n1", "10.0.0.1", "numeric", "999.1.1.1", 1, null, "[]")), false);
        assertThat(ids(p)).containsExactly("good");
        assertThat(p.problems()).containsExactly(
                "port of n1/port0: 0 (expected: 1..65535)",
                "address of n1/hostport: '10.0.0.1:8080' (expected: a host name or IP)",
                "address of n1/numeric: '999.1.1.1' (expected: a host name or IP)");
    }

    @Test
    void aBracketedIpv6AddressIsUsedWithoutBracketsAndAnEmptyOneFallsBackToTheNode() throws Exception {
        var p = InstanceParser.parse("web", array(
                entry("n1", "10.0.0.1", "v6", "[::1]", 80, null, "[]"),
                entry("n2", "[fd00::2]", "node", "", 81, null, "[]")), false);
        assertThat(p.snapshot().instances()).extracting(ServiceInstance::hostPort).containsExactly("[::1]:80", "[fd00::2]:81");
    }

    @Test
    void tooManyTagsIsAbsurd() throws Exception {
        List<String> tags = new ArrayList<>();
        for (int i = 0; i <= InstanceParser.MAX_TAGS; i++) {
            tags.add("\"t" + i + "\"");
        }
        var p = InstanceParser.parse("web", array(entry("n1", "10.0.0.1", "x", "", 1, null, tags.toString())), false);
        assertThat(p.skipped()).isOne();
        assertThat(p.firstProblem()).contains("513 tags (expected: at most 512)");
    }

    @Test
    void tenThousandInstancesParse() throws Exception {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 10_000; i++) {
            sb.append(i == 0 ? "" : ",").append(entry("node-" + (i % 100), "10.1." + (i % 100) + ".1", "web-" + i,
                    "10.2." + (i / 256 % 256) + "." + (i % 256), 1024 + i, "{\"Passing\":3,\"Warning\":1}",
                    "[\"urlprefix-/web\"]", "serfHealth=passing"));
        }
        var p = InstanceParser.parse("web", sb.append("]").toString(), false);
        assertThat(p.snapshot().instances()).hasSize(10_000);
        assertThat(p.skipped()).isZero();
    }

    @Test
    void malformedJsonIsARequestError() {
        assertThatThrownBy(() -> InstanceParser.parse("web", "{not json", false))
                .isInstanceOf(ConsulRequestException.class).hasMessageStartingWith("health of web: malformed JSON");
    }

    /** The routable instances' ids (critical and maintenance ones stay in the snapshot, marked critical). */
    private static List<String> ids(InstanceParser.Parsed p) {
        return p.snapshot().routable().stream().map(i -> i.id().serviceId()).toList();
    }
}
