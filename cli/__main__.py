import gc

from cli import main

# Python's collector ten times rarer for the rest of a command's short run, the report's libraries loaded
# on the way (why: db/__main__.py, which sets it before `cli` itself loads).
gc.set_threshold(10_000, 50, 100)

raise SystemExit(main())
