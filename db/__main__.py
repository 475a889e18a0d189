"""`python -m db COMMAND`: the old name of `python -m cli COMMAND`, kept for the README, `make run` and scripts."""

import runpy

# db/ stays a library that knows nothing of the command line above it, so it hands over by module
# name instead of importing cli: the same program, run as if it had been started as `python -m cli`.
runpy.run_module("cli", run_name="__main__", alter_sys=True)
