"""Fleets: one blueprint, many members, a state per member (issue 18).

    model.py      Fleet (blueprint, members, shared part), member keys, the exports members read
    parts.py      the parts of a fleet environment: derived environments, backends, layout on disk

Import from the modules; this package imports nothing eagerly.
"""
