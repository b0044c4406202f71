from decimal import Decimal

import pytest

from iac.cost.cron import CronError, runs_per_month


@pytest.mark.parametrize(
    ("expression", "per_year"),
    [
        pytest.param("0 0 6 * * ?", 365, id="daily at 06:00"),
        pytest.param("0 0 * * * ?", 365 * 24, id="hourly"),
        pytest.param("0 0/15 * * * ?", 365 * 24 * 4, id="every 15 minutes"),
        pytest.param("0 30 8 ? * MON-FRI", 261, id="weekdays (2026 has 261)"),
        pytest.param("0 0 2 ? * 2-6", 261, id="weekdays by number, 1 = Sunday"),
        pytest.param("0 0 2 ? * SUN", 52, id="sundays (2026 has 52)"),
        pytest.param("0 0 1 1 * ?", 12, id="first of the month"),
        pytest.param("0 0 1 L * ?", 12, id="last day of the month"),
        pytest.param("0 0 1 15W * ?", 12, id="weekday nearest the 15th"),
        pytest.param("0 0 1 ? * 6#3", 12, id="third friday"),
        pytest.param("0 0 1 ? * 6L", 12, id="last friday"),
        pytest.param("0 0 9,17 * JAN,JUL ?", 2 * 62, id="twice a day in january and july"),
        pytest.param("0 0 0 29 2 ?", 0, id="29 february never fires in the reference year"),
        pytest.param("0 0 12 * * ? 2030", 365, id="year field ignored"),
    ],
)
def test_runs_per_month_counts_a_reference_year(expression: str, per_year: int) -> None:
    assert runs_per_month(expression) == Decimal(per_year) / 12


@pytest.mark.parametrize(
    "expression",
    [
        pytest.param("0 6 * * *", id="five fields (unix cron)"),
        pytest.param("0 0 25 * * ?", id="hour out of range"),
        pytest.param("0 0 6 * * FOO", id="unknown day name"),
        pytest.param("0 0/0 6 * * ?", id="zero step"),
    ],
)
def test_unsupported_expressions_raise(expression: str) -> None:
    with pytest.raises(CronError):
        runs_per_month(expression)
