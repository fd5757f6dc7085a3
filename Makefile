# The two commands of the project (README): `make demo` runs the collection's main job on an embedded
# default; `make test` runs every test. Both install what they need into .venv themselves.
.PHONY: demo test docs sanity units integration lint clean

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

clean:
	rm -rf build .venv
