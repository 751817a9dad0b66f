"""Unit tests for the benchmark helpers: python3 -m unittest discover -s bench/lib -p 'test_*.py'"""

import csv
import os
import tempfile
import unittest

import measure
import procstat
import report
import wrkparse

WRK_NON2XX = """Running 1s test @ http://127.0.0.1:18199/nope
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.66ms    7.02ms  44.83ms   90.30%
    Req/Sec   722.50    255.15     1.12k    60.00%
  Latency Distribution
     50%    1.84ms
     75%    4.95ms
     90%   11.22ms
     99%   36.28ms
  720 requests in 1.00s, 365.81KB read
  Non-2xx or 3xx responses: 720
Requests/sec:    718.36
Transfer/sec:    364.97KB
"""

WRK_SOCKET_ERRORS = """Running 10s test @ http://127.0.0.1:18081/small
  1 threads and 256 connections
  Latency Distribution
     50%  812.00us
     75%    1.20ms
     90%    2.00ms
     99%    1.05s
  123456 requests in 10.00s, 30.00MB read
  Socket errors: connect 1, read 2, write 3, timeout 4
Requests/sec:  12345.60
Transfer/sec:      3.00MB
"""


class WrkParseTest(unittest.TestCase):
    def test_counts_non2xx_as_errors_and_reads_percentiles(self):
        r = wrkparse.parse(WRK_NON2XX)
        self.assertEqual(r["requests"], 720)
        self.assertAlmostEqual(r["rps"], 718.36)
        self.assertAlmostEqual(r["p50_ms"], 1.84)
        self.assertAlmostEqual(r["p99_ms"], 36.28)
        self.assertEqual(r["non2xx"], 720)
        self.assertEqual(r["socket_errors"], 0)

    def test_converts_units_and_sums_socket_errors(self):
        r = wrkparse.parse(WRK_SOCKET_ERRORS)
        self.assertAlmostEqual(r["p50_ms"], 0.812)
        self.assertAlmostEqual(r["p99_ms"], 1050.0)
        self.assertEqual(r["socket_errors"], 10)
        self.assertEqual(r["non2xx"], 0)
        self.assertAlmostEqual(r["duration_s"], 10.0)

    def test_rejects_output_without_results(self):
        with self.assertRaises(wrkparse.WrkParseError):
            wrkparse.parse("unable to connect to 127.0.0.1:1 Connection refused\n")


class ProcStatTest(unittest.TestCase):
    def test_steal_percent_of_total_delta(self):
        with tempfile.NamedTemporaryFile("w", delete=False) as f:
            f.write("cpu  100 0 100 700 0 0 0 100 0 0\ncpu0 1 2 3\n")
        try:
            before = procstat.cpu_times(f.name)
        finally:
            os.unlink(f.name)
        self.assertEqual(before, (100, 1000))
        self.assertAlmostEqual(procstat.steal_percent((100, 1000), (150, 1500)), 10.0)

    def test_foreign_percent_subtracts_own_ticks_and_never_goes_negative(self):
        self.assertAlmostEqual(procstat.foreign_percent((0, 0), (60, 100), 40), 20.0)
        self.assertEqual(procstat.foreign_percent((0, 0), (30, 100), 40), 0.0)

    def test_own_process_tree_contains_self_and_counts_cpu(self):
        self.assertIn(os.getpid(), procstat.process_tree(os.getpid()))
        self.assertIsNotNone(procstat.tree_cpu_ticks(os.getpid()))

    def test_cpu_split_is_user_and_system_of_the_same_total(self):
        sum(i * i for i in range(2_000_000))  # some user time to count
        user, system = procstat.tree_cpu_split(os.getpid())
        self.assertGreater(user, 0)
        self.assertGreaterEqual(system, 0)
        self.assertLessEqual(user + system, procstat.tree_cpu_ticks(os.getpid()))
        self.assertIsNone(procstat.tree_cpu_split(2 ** 22 + 7))


class AppendRowsTest(unittest.TestCase):
    def test_header_once_then_rows_in_order(self):
        f = tempfile.NamedTemporaryFile("w", delete=False, suffix=".csv")
        f.close()
        self.addCleanup(os.unlink, f.name)
        measure.append_rows(f.name, ["a", "b"], [{"a": 1, "b": 2}])
        measure.append_rows(f.name, ["a", "b"], [{"a": 3, "b": 4}, {"a": 5, "b": 6}])
        with open(f.name, newline="") as g:
            self.assertEqual(list(csv.reader(g)), [["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]])


class ReportTest(unittest.TestCase):
    FIELDS = ["round", "proxy", "body", "conns", "attempt", "status", "rps", "p50_ms", "p99_ms",
              "errors", "cpu_us_per_req", "steal_pct"]

    def write(self, rows):
        f = tempfile.NamedTemporaryFile("w", delete=False, newline="", suffix=".csv")
        w = csv.DictWriter(f, fieldnames=self.FIELDS)
        w.writeheader()
        for r in rows:
            w.writerow(dict(zip(self.FIELDS, r)))
        f.close()
        self.addCleanup(os.unlink, f.name)
        return f.name

    def test_ratio_is_per_round_and_last_attempt_wins(self):
        path = self.write([
            (1, "nginx", "small", 64, 1, "ok", 1000, 1, 2, 0, 40, 1),
            (1, "haproxy", "small", 64, 1, "ok", 100, 1, 2, 0, 40, 30),   # high steal, repeated
            (1, "haproxy", "small", 64, 2, "ok", 900, 1, 2, 0, 40, 2),
            (2, "nginx", "small", 64, 1, "ok", 2000, 1, 2, 0, 40, 1),
            (2, "haproxy", "small", 64, 1, "ok", 1600, 1, 2, 5, 50, 1),
        ])
        lines = report.build_table(report.load_runs(path), ["nginx", "haproxy"], ["small"], ["64"],
                                   {}, 10.0, "nginx")
        haproxy = [l for l in lines if l.startswith("| haproxy")][0].split(" | ")
        self.assertEqual(haproxy[3], "1,250")        # median of 900 and 1600
        self.assertEqual(haproxy[4], "0.85")         # median of 0.9 and 0.8
        self.assertEqual(haproxy[8], "5")            # errors summed over counted runs
        self.assertEqual(haproxy[9], "45.0")

    def test_failed_start_gets_a_row(self):
        path = self.write([(1, "nginx", "small", 64, 1, "ok", 1000, 1, 2, 0, 40, 1)])
        lines = report.build_table(report.load_runs(path), ["nginx", "switchboard"], ["small"], ["64"],
                                   {"switchboard": "failed to start (process exited)"}, 10.0, "nginx")
        self.assertIn("failed to start (process exited)", lines[-1])

    def test_goals_pair_each_round_with_the_peers_same_round(self):
        path = self.write([
            (1, "nginx", "small", 64, 1, "ok", 1000, 1, 2.0, 0, 10, 0),
            (1, "switchboard", "small", 64, 1, "ok", 1100, 1, 1.0, 0, 9, 0),
            (2, "nginx", "small", 64, 1, "ok", 2000, 1, 2.0, 0, 20, 0),
            (2, "switchboard", "small", 64, 1, "ok", 1800, 1, 3.0, 0, 24, 0),
            (3, "nginx", "small", 64, 1, "ok", 1000, 1, 2.0, 0, 10, 0),
            (3, "switchboard", "small", 64, 1, "error", 0, 0, 0, 9, 0, 0),  # not paired
        ])
        lines = report.build_goals(report.load_runs(path), ["small"], ["64"], peers=["nginx"])
        self.assertEqual(lines[0], "| body | conns | CPU/req vs nginx | p99 vs nginx | req/s vs nginx |")
        cells = lines[2].strip("| ").split(" | ")
        self.assertEqual(cells[2], "1.05 (0.90–1.20)")   # CPU 9/10 and 24/20
        self.assertEqual(cells[3], "1.00 (0.50–1.50)")   # p99 1/2 and 3/2
        self.assertEqual(cells[4], "1.00 (0.90–1.10)")   # req/s 1100/1000 and 1800/2000

    def test_goals_leave_out_peers_that_never_ran(self):
        path = self.write([
            (1, "nginx", "small", 64, 1, "ok", 1000, 1, 2.0, 0, 10, 0),
            (1, "switchboard", "small", 64, 1, "ok", 1000, 1, 2.0, 0, 10, 0),
        ])
        lines = report.build_goals(report.load_runs(path), ["small"], ["64"], peers=["nginx", "haproxy"])
        self.assertNotIn("haproxy", lines[0])
        self.assertEqual(lines[2], "| small | 64 | 1.00 | 1.00 | 1.00 |")


if __name__ == "__main__":
    unittest.main()
