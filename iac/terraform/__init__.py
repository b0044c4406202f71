"""The Terraform side of apply/destroy: the engine runner, plan verification, lock, audit and approval.

    runner.py     one protocol (init, plan to a file, show plan JSON, apply a plan file, state pull, version)
    workdir.py    the environment's working directory and the files iac keeps there
    verify.py     Terraform's JSON plan against iac's preview, address by address
    lock.py       one lock per working directory
    audit.py      append-only JSON-lines log of every run
    approval.py   who must confirm what, and the refusals that say which flag or answer is missing
    fake.py       a runner wrapper that injects failures and changes, for tests
"""
