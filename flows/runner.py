"""The one process that serves the deployments of `reexport run` (started by flows.service)."""
from __future__ import annotations

import argparse


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=2, help="flow runs at once")
    args = ap.parse_args(argv)
    from prefect import serve

    from flows.prefect_flows import deployments

    serve(*deployments(), limit=args.limit, print_starting_message=False)


if __name__ == "__main__":
    main()
