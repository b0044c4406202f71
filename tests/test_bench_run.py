"""bench.run's report: the table, and the calibrations that say what kind of minute a run had."""

from __future__ import annotations

from bench.run import _memory_calibration, report
from bench.speed import NOMINAL_CALIBRATION_S
from bench.speed import report as speed_report


def _result(planned: float, cpu: float, peak: int) -> dict[str, object]:
    return {"planned": planned, "planned_cpu": cpu, "peak_mb": peak, "planned_peak_mb": peak, "wall": planned + 1}


def test_the_report_gives_both_calibrations_and_the_linearity() -> None:
    results = {"load_average": (0.5, 0.6, 0.7), "cpus": 2, "calibration_cpu_s": 0.17,
               "calibration_memory_s": [0.21, 0.9],
               "iac": {"10000": _result(0.5, 0.5, 66), "100000": _result(4.0, 4.1, 447)}, "terraform": {}}
    text = report(results)
    assert "a 5M-iteration Python loop took 0.17 s CPU" in text
    assert "touching 256 MB took 0.21 s before the runs and 0.90 s after" in text
    assert "Linearity: 10k -> 100k took 8.0x the wall time and 8.2x the CPU time" in text
    assert "| 100,000 | 4.00 s | 4.10 s | 447 / 447 MB | 5.00 s |" in text


def test_an_older_result_without_a_memory_calibration_still_reports() -> None:
    text = report({"load_average": (0, 0, 0), "cpus": 2, "iac": {}, "terraform": {}})
    assert "Fresh memory" not in text and "Calibration" in text


def test_the_memory_calibration_touches_fresh_memory_and_times_it() -> None:
    assert 0 < _memory_calibration(8) < 60


def test_the_speed_report_gives_the_plan_in_loop_units_and_at_the_nominal_speed() -> None:
    text = speed_report([(0.2, 4.4), (0.3, 6.6), (0.25, 6.0)], 100_000)
    assert "| 2 | 0.300 s | 6.60 s | 22.0 |" in text
    assert f"Median: 22.0 loop units, i.e. {22.0 * NOMINAL_CALIBRATION_S:.2f} s at the nominal speed" in text
    assert "measured plans 4.40-6.60 s" in text
