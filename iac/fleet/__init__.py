"""Fleets: one blueprint, many members, a state per member (issue 18).

    model.py      Fleet (blueprint, members, shared part), member keys, the exports members read
    parts.py      the parts of a fleet environment: derived environments, backends, working directories, layout
    states.py     split and join of states (pure, on state JSON)
    template.py   a member's identity factored out of its values and addresses, and put back
    delta.py      a change as the leaves it touches (the structural form changes are compared in)
    summary.py    one member's plan JSON -> its summary and change records
    rollup.py     member summaries -> the roll-up document (groups, destroys, findings, totals)
    checks.py     what holds for the fleet as a whole (the budget on the total cost)
    memberdiff.py a member against the typical member (deepdiff)
    document.py   the fleet plan document (the roll-up and every part's plan JSON)

The workflows that use them are iac/workflows/fleet_*.py. Import from the modules; this package imports nothing.
"""
