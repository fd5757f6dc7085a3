# The two commands of the project (README): `make demo` runs the collection's main job on an embedded
# default; `make test` runs every test. Both install what they need into .venv themselves.
.PHONY: demo test docs sanity units integration lint soak lock upgrade-check clean

demo:
	bash scripts/demo.sh

test:
	bash scripts/test.sh

docs:
	bash scripts/docs.sh

sanity:
	bash scripts/test.sh sanity

units:
	bash scripts/test.sh units

integration:
	bash scripts/test.sh integration

lint:
	bash scripts/test.sh lint changelog

# The model-based test of the product modules with random seeds, longer (APIOPS_SOAK_EXAMPLES runs a mode, 300).
soak:
	bash scripts/test.sh soak

# Regenerate every lock of lock/ from its .in file (keeps the pins that still fit; UPGRADE=1 takes the newest).
lock:
	python3 scripts/envs.py lock $(if $(UPGRADE),--upgrade)

# The newest releases of every tool, locked in a scratch folder, with the unit tests and the demo run on them.
upgrade-check:
	bash scripts/upgrade_check.sh

clean:
	rm -rf build .venv
