package dev.switchboard.router.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExpectedStatusTest {

    @Test
    void exactStatusMatchesOnlyItself() {
        ExpectedStatus s = ExpectedStatus.parse("204");
        assertThat(s.matches(204)).isTrue();
        assertThat(s.matches(200)).isFalse();
    }

    @Test
    void classMatchesItsHundred() {
        ExpectedStatus s = ExpectedStatus.parse("2XX");
        assertThat(s.matches(200)).isTrue();
        assertThat(s.matches(299)).isTrue();
        assertThat(s.matches(199)).isFalse();
        assertThat(s.matches(300)).isFalse();
    }

    @Test
    void rejectsAnythingElse() {
        for (String bad : new String[] {"", "2x", "600", "6xx", "20", "abc", "x00"}) {
            assertThatThrownBy(() -> ExpectedStatus.parse(bad)).hasMessageStartingWith("activeCheck.expectedStatus: ");
        }
    }

    @Test
    void parsesStatusLines() {
        assertThat(HttpProbe.parseStatus("HTTP/1.1 200 OK")).isEqualTo(200);
        assertThat(HttpProbe.parseStatus("HTTP/1.0 503")).isEqualTo(503);
        assertThat(HttpProbe.parseStatus("HTTP/1.1 2000 OK")).isEqualTo(-1);
        assertThat(HttpProbe.parseStatus("SSH-2.0-OpenSSH")).isEqualTo(-1);
    }
}
