"""Constructs generated from the provider schemas in iac/data: one package per provider, one module per type.

Written by `make constructs` (iac/constructs/_generate.py, whose docstring says how a schema becomes a class);
everything below this package but this file is generated: change the generator, never the output. The
hand-written classes of iac/constructs stay the public ones for their types, so no module is generated for them.
"""
