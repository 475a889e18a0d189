"""`python -m db COMMAND`: the old name of `python -m cli COMMAND`, kept for the README, `make run` and scripts."""

import gc
import runpy

# A command is one short run that first loads many libraries (SQLAlchemy, pandas, Altair, the file
# writers): their millions of new objects set Python's collector off again and again while they load,
# about 0.25 s of a report's 2 s on the demo data. Collections ten times rarer still bound the memory
# of a long command. The same as cli/__main__.py, here before `cli` itself is loaded.
gc.set_threshold(10_000, 50, 100)
# db/ stays a library that knows nothing of the command line above it, so it hands over by module
# name instead of importing cli: the same program, run as if it had been started as `python -m cli`.
runpy.run_module("cli", run_name="__main__", alter_sys=True)
