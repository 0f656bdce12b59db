# The two commands of the README: `make run` and `make test`. Each sets everything up first.
.PHONY: run test bench clean

run:
	@scripts/bootstrap.sh run
	.venv/bin/digest run seeds/

test:
	@scripts/bootstrap.sh test
	.venv/bin/python -m pytest

bench:
	@scripts/bootstrap.sh bench
	@for b in bench/*.py; do echo "== $$b"; .venv/bin/python $$b || exit 1; done

clean:
	rm -rf .venv out/[0-9]* out/latest
