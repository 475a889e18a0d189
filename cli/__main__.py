import gc
import os
import sys

from cli import main

# Python's collector ten times rarer for the rest of a command's short run, the report's libraries loaded
# on the way (why: db/__main__.py, which sets it before `cli` itself loads).
gc.set_threshold(10_000, 50, 100)

code = main()
# Done: every file is written and closed, the database's connections are closed (cli._run) and its
# temporary folders removed (each in a `with`). Python's own tear-down of the libraries loaded would
# take another 0.25–0.4 s before the shell gets its prompt back; the output is flushed and the process
# ends here instead. The chart drawing process sees its input close and ends too (charts/renderer.py).
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
