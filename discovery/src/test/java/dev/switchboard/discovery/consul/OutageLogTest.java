package dev.switchboard.discovery.consul;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A Consul restart seen by many watches is logged by the first of each kind of failure, not by all. */
class OutageLogTest {

    private static ConsulRequestException refused(String watch) {
        return new ConsulRequestException("GET /v1/health/service/" + watch + ": ConnectException", new ConnectException("refused"));
    }

    @Test
    void thirtyWatchesRefusedTheSameWayAreOneWarningAndOneRecoveryLine() {
        OutageLog outage = new OutageLog();
        List<Boolean> logged = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            logged.add(outage.failing("service s" + i, OutageLog.kind(refused("s" + i))));
        }
        assertThat(logged.stream().filter(b -> b)).hasSize(1);
        assertThat(outage.failing("service list", OutageLog.kind(new ConsulRequestException("GET /v1/catalog/services: HTTP 500 x", 500))))
                .as("another kind of failure is logged too").isTrue();

        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String line = outage.recovered("service s" + i);
            if (line != null) {
                lines.add(line);
            }
        }
        assertThat(lines).as("one still failing: no summary yet").isEmpty();
        assertThat(outage.recovered("service list")).contains("29 failure(s) of other watches");

        assertThat(outage.failing("service s0", OutageLog.kind(refused("s0")))).as("the next outage is logged again").isTrue();
    }

    @Test
    void kindsAreTheStatusOrTheTransportErrorNotTheRequest() {
        assertThat(OutageLog.kind(refused("a"))).isEqualTo(OutageLog.kind(refused("b"))).isEqualTo("ConnectException");
        assertThat(OutageLog.kind(new ConsulRequestException("GET /v1/health/service/a: HTTP 500 grpc", 500))).isEqualTo("HTTP 500");
    }
}
