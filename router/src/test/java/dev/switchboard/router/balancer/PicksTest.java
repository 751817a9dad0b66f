package dev.switchboard.router.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PicksTest {

    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    @Test
    void slotIsTheCounterAsAnUnsigned64BitCountModN() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            long counter = rnd.nextLong();
            int n = 1 + rnd.nextInt(i % 2 == 0 ? 10 : Integer.MAX_VALUE);
            BigInteger unsigned = BigInteger.valueOf(counter);
            if (counter < 0) {
                unsigned = unsigned.add(TWO_TO_64);
            }
            assertThat(Picks.slot(counter, n)).as("slot(%d, %d)", counter, n)
                    .isEqualTo(unsigned.mod(BigInteger.valueOf(n)).intValue());
        }
    }

    @Test
    void slotContinuesInOrderWhereTheSignedCounterWraps() {
        for (int n : new int[] {1, 2, 3, 7, 10, 65_537, Integer.MAX_VALUE}) {
            long counter = Long.MAX_VALUE - 5;
            int previous = Picks.slot(counter, n);
            for (int i = 0; i < 10; i++) {
                counter++; // wraps to Long.MIN_VALUE on the 6th step
                int s = Picks.slot(counter, n);
                assertThat(s).as("n=%d after %d", n, counter).isEqualTo((previous + 1) % n);
                previous = s;
            }
        }
    }

    @Test
    void randomUsableIsUniformOverUsableEndpointsEvenWhenMostAreUnusable() {
        var es = FakeEndpoint.count(10);
        for (int i = 0; i < 8; i++) {
            es.get(i).usable = false; // the 4 random tries mostly miss: the reservoir scan decides
        }
        FakeContext ctx = new FakeContext(11);
        Endpoint[] arr = es.toArray(new Endpoint[0]);
        int[] counts = new int[10];
        for (int i = 0; i < 100_000; i++) {
            counts[((FakeEndpoint) Picks.randomUsable(arr, ctx)).index]++;
        }
        assertThat(counts[8] / 100_000.0).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.01));
        assertThat(counts[8] + counts[9]).isEqualTo(100_000);
    }
}
