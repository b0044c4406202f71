from iac.cli import run

run()
