"""Terminal text for the checks: the cost summary, then the findings, then the verdict.

Printed after the plan by `iac plan`, alone by `iac check`, and again by `iac show plan.json`. It reads only
the checks' JSON (what the plan JSON's `iac` key carries: `findings`, `verdict`, `cost`, `enforcement`), so a
saved plan renders the same text as the run that made it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from iac.diagnostics import printable

if TYPE_CHECKING:  # the engine loads the settings (pydantic); `iac show` renders without them
    from iac.policy.engine import PolicyReport

__all__ = ["has_checks", "render_checks_text", "render_cost_text", "render_findings_text", "render_plan_with_checks"]

_VERDICT_TEXT = {
    "pass": "pass",
    "warn": "warn (not blocking)",
    "deny": "deny: this plan must not be applied (exit code 3)",
    "error": "error: a check crashed, the plan was not fully judged (exit code 1)",
}
_SEVERITIES = ("error", "warning", "info")


def _dec(value: Any) -> Decimal:
    return Decimal(str(value)) if value is not None else Decimal(0)


def _usd(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):,.2f}"


def _signed(value: Decimal) -> str:
    return ("+" if value > 0 else "") + _usd(value) if value != 0 else "0.00"


_SYMBOL = {"new": "+", "removed": "-", "kept": "~"}


def _cost_row(line: Mapping[str, Any], width: int) -> str:
    after, low, high = _dec(line.get("after_monthly")), _dec(line.get("after_monthly_min")), _dec(line.get("after_monthly_max"))
    if line.get("unpriced"):
        figure = "unpriced (partial " + _usd(after) + ")"
    elif line.get("status") != "removed" and low != high:
        figure = f"{_usd(low)}..{_usd(high)}"
    else:
        figure = ""
    return (f"  {_SYMBOL.get(str(line.get('status')), '~')} {line['address']:<{width}} {_usd(_dec(line.get('before_monthly'))):>12}"
            f" {_usd(after):>12} {_signed(_dec(line.get('delta_monthly'))):>12}  {figure}").rstrip()


def _no_change_label(lines: Sequence[Mapping[str, Any]]) -> str:
    """What the resources whose monthly cost does not move are: created at no cost, or already there."""
    statuses = {line.get("status") for line in lines}
    if statuses == {"new"}:
        return f"{len(lines)} new resource(s) at no monthly cost"
    if statuses == {"kept"}:
        return f"{len(lines)} unchanged resource(s)"
    return f"{len(lines)} resource(s) with no cost change"


def render_cost_text(cost: Mapping[str, Any]) -> str:
    """The cost table (the `cost` JSON): changed or unpriced resources, totals, and every assumption used."""
    lines: list[Mapping[str, Any]] = list(cost.get("resources") or ())
    shown = [line for line in lines if _dec(line.get("delta_monthly")) != 0 or line.get("unpriced")]
    steady = [line for line in lines if line not in shown]
    label = _no_change_label(steady) if steady else ""
    width = max([len(str(line["address"])) for line in shown] + [24, len(label)])
    out = [f"Cost estimate ({cost.get('currency')} per month, {cost.get('cloud')} {cost.get('tier')} list prices as of"
           f" {cost.get('as_of')}):"]
    out.append(f"    {'resource':<{width}} {'before':>12} {'after':>12} {'delta':>12}  min..max")
    out += [_cost_row(line, width) for line in shown]
    if steady:
        subtotal = sum((_dec(line.get("after_monthly")) for line in steady), Decimal(0))
        before = sum((_dec(line.get("before_monthly")) for line in steady), Decimal(0))
        out.append(f"    {label:<{width}} {_usd(before):>12} {_usd(subtotal):>12} {'0.00':>12}")
    out.append(f"    {'total':<{width}} {_usd(_dec(cost.get('total_before'))):>12} {_usd(_dec(cost.get('total_after'))):>12}"
               f" {_signed(_dec(cost.get('delta'))):>12}  {_usd(_dec(cost.get('total_after_min')))}.."
               f"{_usd(_dec(cost.get('total_after_max')))}")
    unpriced = [line for line in lines if line.get("unpriced")]
    if unpriced:
        out.append(f"  {len(unpriced)} resource(s) could not be fully priced (see findings COST001).")
    out.append("  Assumptions:")
    out += [f"    - {text}" for text in cost.get("assumptions") or ()]
    grouped: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        for text in line.get("assumptions") or ():
            grouped[text].append(str(line["address"]))
    rows = sorted((addresses[0] if len(addresses) == 1 else f"{len(addresses)} resources", text)
                  for text, addresses in grouped.items())
    out += [f"    - {who}: {text}" for who, text in rows]
    return "\n".join(printable(line) for line in out) + "\n"  # addresses from a state can hold anything


def _finding_lines(finding: Mapping[str, Any]) -> list[str]:
    target = ".".join(p for p in (finding.get("address"), finding.get("path")) if p) or "(environment)"
    waived = finding.get("waived")
    label = "waived" if waived else str(finding.get("severity"))
    lines = [f"  {label:<8}{finding.get('check_id', ''):<8}{target}", f"          {finding.get('message')}"]
    if waived:
        lines.append(f"          waived until {waived.get('expires')}: {waived.get('reason')}")
    elif finding.get("fix"):
        lines.append(f"          fix: {finding['fix']}")
    if finding.get("source"):
        lines.append(f"          at {finding['source']}")
    return [printable(line) for line in lines]  # messages may quote values: escapes, never terminal controls


def has_checks(meta: Any) -> bool:
    """Whether a plan JSON's `iac` key carries the checks' results (ours does; Terraform's plan has no key)."""
    return isinstance(meta, Mapping) and isinstance(meta.get("cost"), Mapping) and meta.get("verdict") is not None


def render_checks_text(checks: Mapping[str, Any]) -> str:
    """Cost summary, findings (in their stored order) and the verdict, from the checks' JSON."""
    out = [render_cost_text(checks.get("cost") or {})]
    findings: list[Mapping[str, Any]] = list(checks.get("findings") or ())
    active = [f for f in findings if not f.get("waived")]
    counts = {s: sum(1 for f in active if f.get("severity") == s) for s in _SEVERITIES}
    enforcement = checks.get("enforcement") or "advisory"
    out.append(f"Policy ({enforcement}): {counts['error']} error(s), {counts['warning']} warning(s),"
               f" {counts['info']} info, {len(findings) - len(active)} waived")
    for finding in findings:
        out += _finding_lines(finding)
    verdict = str(checks.get("verdict"))
    out.append(f"Policy verdict: {_VERDICT_TEXT.get(verdict, verdict)}")
    return "\n".join(out) + "\n"


def render_findings_text(report: PolicyReport) -> str:
    """The checks' text for a report just made (what `iac plan` and `iac check` print)."""
    return render_checks_text(report.to_json())


def render_plan_with_checks(plan: Mapping[str, Any], *, color: bool = False) -> str:
    """The text plan, then the checks' cost, findings and verdict when the plan JSON carries them: what
    `iac plan ENV` prints, and `iac show` prints again from the saved file."""
    from iac.render import render

    text = render(dict(plan), "text", color=color)
    meta = plan.get("iac")
    return text + ("\n" + render_checks_text(meta) if isinstance(meta, Mapping) and has_checks(meta) else "")
