"""The ``icc`` command: validate the index data, or generate the site's pages without MkDocs.

    icc validate [--json]        check every city file and the index definition
    icc generate                 write the generated pages into content/generated/
    icc synth --cities N --seed S --out DIR
                                 write N synthetic city files (for benchmarks and tests)

Paths default to the standard layout of the project folder (``--root``, default: the
nearest folder holding ``mkdocs.yml``, from the current folder upwards). Exit status:
0 when there is no error, 1 when the data has errors, 2 for a usage error (such as a
folder that does not exist).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from . import i18n, pipeline


def find_root(start: Path) -> Path:
    """The nearest folder from ``start`` upwards that holds ``mkdocs.yml`` (else ``start``)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder
    return start


def _settings(args: argparse.Namespace) -> pipeline.Settings:
    root = Path(args.root) if args.root else find_root(Path.cwd())
    settings = pipeline.Settings.for_project(root, args.edition)
    updates = {}
    if args.cities:
        updates["cities"] = Path(args.cities).resolve()
    if args.definition:
        updates["definition"] = Path(args.definition).resolve()
    if updates:
        settings = pipeline.Settings(**{**settings.__dict__, **updates})
    return settings


def cmd_validate(args: argparse.Namespace) -> int:
    """Print every problem (readable, or JSON with --json); exit 1 if any is an error."""
    checked = pipeline.check(_settings(args))
    problems = checked.problems
    if args.json:
        json.dump(
            {
                "errors": len(checked.errors),
                "warnings": len(checked.warnings),
                "problems": [p.as_dict() for p in problems],
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        sys.stdout.write("\n")
    else:
        for problem in problems:
            print(problem.format())
        cities = len(checked.network.cities) if checked.network else None
        summary = f"{len(checked.errors)} error(s), {len(checked.warnings)} warning(s)"
        print(summary + (f"; {cities} city files are valid." if cities is not None else "."))
    return 1 if checked.errors else 0


def cmd_generate(args: argparse.Namespace) -> int:
    """Run the whole pipeline and write the generated pages; exit 1 on data errors."""
    try:
        # (every language of the site, as mkdocs.yml builds them)
        result = pipeline.run(dataclasses.replace(_settings(args), languages=i18n.LANGUAGES))
    except pipeline.BuildFailed as exc:
        print(exc, file=sys.stderr)
        return 1
    except pipeline.RenderFailed as exc:
        print(f"icc: {exc}", file=sys.stderr)
        return 1
    for problem in result.problems:
        print(problem.format(), file=sys.stderr)
    timings = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in result.timings.items())
    print(f"{len(result.files)} generated files, {result.written} written anew ({timings})")
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    """Write synthetic city files into --out (never into the real cities/ folder)."""
    from .load import load_yaml
    from .model import Definition
    from .synth import synthesize

    settings = _settings(args)
    out = Path(args.out).resolve()
    if out == settings.cities.resolve():
        print("icc: synthetic cities are never written into the real city folder", file=sys.stderr)
        return 2
    definition = Definition.model_validate(load_yaml(settings.definition).value)
    out.mkdir(parents=True, exist_ok=True)
    for name, text in synthesize(definition, args.count, args.seed).items():
        (out / name).write_text(text, encoding="utf-8")
    print(f"{args.count} synthetic city files written to {out}")
    return 0


def _positive(text: str) -> int:
    """A whole number of at least 1 (argparse type); raises ``argparse.ArgumentTypeError``."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, found {text!r}")
    return value


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``icc`` console script."""
    parser = argparse.ArgumentParser(prog="icc", description="Intercultural Cities Index site generator.")
    parser.add_argument("--root", help="project folder (default: the nearest folder holding mkdocs.yml)")
    parser.add_argument("--edition", default="2019", help="edition of the index definition (default: 2019)")
    parser.add_argument("--cities", help="folder of city files (default: <root>/cities)")
    parser.add_argument(
        "--definition", help="index definition file (default: <root>/generator/definitions/<edition>.yaml)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check the city files and the index definition")
    v.add_argument("--json", action="store_true", help="print the problems as JSON")
    v.set_defaults(func=cmd_validate)
    g = sub.add_parser("generate", help="write the generated pages without running MkDocs")
    g.set_defaults(func=cmd_generate)
    y = sub.add_parser("synth", help="write synthetic city files for benchmarks and tests")
    y.add_argument("--cities", dest="count", type=_positive, required=True, help="how many cities")
    y.add_argument("--seed", type=int, default=1, help="random seed (the same seed gives the same files)")
    y.add_argument("--out", required=True, help="folder to write them into")
    y.set_defaults(func=cmd_synth)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except FileNotFoundError as exc:
        print(f"icc: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
