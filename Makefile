# make run: set up, create the database with demo data if it is empty, start the app on PORT (and ADDRESS).
# make test: set up with the test tools and run lint, type checks and the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
# Empty: .streamlit/config.toml's 127.0.0.1, this computer only. `make run ADDRESS=192.168.1.10` serves
# that address on the school's network, without TLS (SECURITY.md: a proxy in front is better).
ADDRESS ?=
SERVE_ON = $(if $(ADDRESS),--server.address $(ADDRESS) --server.allowedHosts $(ADDRESS))

# make load: SESSIONS browser sessions at once on a server of its own, RERUNS reruns each, on the demo data
# or on a copy of DATABASE (an SQLite file); PAGE=timeline for another page, PAGES=all for every page in
# turn (bench/load.py; `.venv/bin/python -m bench.load --help` for the rest).
SESSIONS ?= 30
RERUNS ?= 5
DATABASE ?=
PAGE ?=
PAGES ?=

# make serve-network: PROCESSES app processes on ports 8501, 8502, … against one DATABASE_URL (PostgreSQL),
# for deploy/nginx.conf's upstream; the schema and the demo data are prepared once, before they start.
PROCESSES ?= 2

# make synth: a synthetic network in NETWORK (an SQLite file), made once by `python -m db synth`; delete the file to
# make it again. make bench times the screens' queries on it (and an import).
SCHOOLS ?= 300
PARTNERS ?= 1000
ACTIVITIES ?= 1000000
SEED ?= 1
NETWORK ?= bench/network.db
PARTIAL = $(NETWORK:.db=-partial.db)

.PHONY: run serve-network test lint synth bench bench-imports bench-reports bench-pages bench-datasette load clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/activate
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(BIN)/python -m db init
	$(BIN)/python -m db demo --if-empty
	$(BIN)/streamlit run dashboard.py --server.port $(PORT) --server.headless true $(SERVE_ON)

serve-network: $(VENV)/.installed
	@# PostgreSQL's driver, the version the tests pass with (requirements-dev.txt); SQLite needs none.
	$(BIN)/python -c "import psycopg" 2>/dev/null || $(BIN)/python -m pip install --quiet "psycopg[binary]==3.3.9"
	deploy/run-processes $(PROCESSES)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

synth: $(NETWORK)

# Made under another name and renamed when complete: a run stopped half-way leaves no NETWORK that looks done.
$(NETWORK): | $(VENV)/.installed
	rm -f $(PARTIAL) $(PARTIAL)-wal $(PARTIAL)-shm
	DATABASE_URL=sqlite:///$(abspath $(PARTIAL)) $(BIN)/python -m db synth \
		--schools $(SCHOOLS) --partners $(PARTNERS) --activities $(ACTIVITIES) --seed $(SEED)
	mv $(PARTIAL) $@

bench: $(VENV)/.installed $(NETWORK)
	$(BIN)/python -m bench.queries --database $(NETWORK)
	$(BIN)/python -m bench.imports

bench-imports: $(VENV)/.installed
	$(BIN)/python -m bench.imports

bench-reports: $(VENV)/.installed
	$(BIN)/python -m bench.reports

load: $(VENV)/.installed
	$(BIN)/python -m bench.load --sessions $(SESSIONS) --reruns $(RERUNS) \
		$(if $(DATABASE),--database $(DATABASE)) $(if $(PAGE),--page $(PAGE)) $(if $(PAGES),--pages $(PAGES))

# Every page cold and warm through AppTest, on the demo data or on DATABASE (a copy: the app migrates it).
bench-pages: $(VENV)/.installed
	$(BIN)/python -m bench.pages $(if $(DATABASE),--database $(DATABASE))

# Against Datasette on the same SQLite file (DATABASE=a copy; without it, a million activities are generated).
# Datasette is installed into bench/.datasette-venv, apart from the app's environment.
bench-datasette: $(VENV)/.installed
	$(BIN)/python -m bench.datasette $(if $(DATABASE),--database $(DATABASE))

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache test-artifacts
