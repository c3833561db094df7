"""What each ``symderive`` command does with its parsed arguments: call the
library, print, return an exit code (0 every derivation verified; 1 some
derivation failed or is incomplete; 2 bad input or usage).

A handler imports the library modules it alone needs inside the handler:
``symderive check`` answered from the verdict cache must not load SymPy
(nor ``--help`` anything), so the modules that import SymPy (the engine,
the post checker, the catalog, the renderer) load only when a command uses
them. Everything imported at the top here is light.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

from .cache import VerdictCache
from .emit import derivations as verify_formats
from .emit import posts as check_formats
from .errors import Origin, SymderiveError
from .post.extract import MAX_POST_BYTES
from .post.report import decode_post, encode_post, post_is_lasting
from .report import ERROR, VERIFIED
from .settings import Settings

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


# ---- the terminal --------------------------------------------------------------

def use_color(choice: str) -> bool:
    """--color: auto colours when stdout is a terminal and NO_COLOR is unset."""
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _progress(number: int, total: int, path: Path) -> None:
    """A progress bar on stderr while file ``number`` of ``total`` is checked;
    only on a terminal and for more than one file."""
    if total < 2 or not sys.stderr.isatty():
        return
    width = 20
    done = width * (number - 1) // total
    head = f"[{'#' * done}{'-' * (width - done)}] {number}/{total} "
    columns = max(shutil.get_terminal_size().columns - 1, len(head) + 12)
    print("\r" + (head + _tail(str(path), columns - len(head))).ljust(columns),
          end="" if number < total else "\n", file=sys.stderr, flush=True)


def _tail(text: str, room: int) -> str:
    """``text`` cut from the left to ``room`` characters, so that a long path
    keeps its file name: ``…/derivations/000_sigmoid.toml``."""
    return text if len(text) <= room else "…" + text[len(text) - room + 1:]


def _progress_for(args):
    """No progress bar with --quiet."""
    return None if getattr(args, "quiet", False) else _progress


def _cache_for(args) -> VerdictCache | None:
    """The verdict cache, unless --no-cache."""
    return None if getattr(args, "no_cache", False) else VerdictCache()


def _complain(message) -> None:
    print(f"symderive: {message}", file=sys.stderr)


# ---- verify, render, list, hook --------------------------------------------------

def _verify_paths(args) -> list:
    """(derivation or None, Report) for every file of ``args.paths``, with the run options of ``args``."""
    from .batch import verify_files

    jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
    return verify_files(args.paths, Settings(timeout=args.timeout), progress=_progress_for(args), jobs=jobs,
                        cache=_cache_for(args))


def _exit_code(reports) -> int:
    statuses = {r.status for r in reports}
    if ERROR in statuses:
        return EXIT_BAD_INPUT
    return EXIT_OK if statuses <= {VERIFIED} else EXIT_FAILED


def _print_errors(reports) -> None:
    for report in reports:
        if report.error is not None:
            _complain(report.error)


def cmd_verify(args) -> int:
    """symderive verify: prove or refute every step of the derivation files; report as --format says."""
    started = time.monotonic()
    reports = [r for _, r in _verify_paths(args)]
    _print_errors(reports)
    if args.format == "json":
        sys.stdout.write(verify_formats.to_json(reports))
    elif args.format == "github":
        sys.stdout.write(verify_formats.to_github(reports))
    elif args.format == "junit":
        sys.stdout.write(verify_formats.to_junit(reports, time.monotonic() - started))
    else:
        sys.stdout.write(verify_formats.to_text(reports, quiet=args.quiet, color=use_color(args.color)))
    return _exit_code(reports)


def _render_targets(args) -> list[str] | None:
    """The formats of --to, or None after saying what is wrong with them."""
    wanted = [f.strip() for f in args.to.split(",") if f.strip()]
    unknown = set(wanted) - {"md", "tex", "pdf"}
    if unknown or not wanted:
        _complain(f"unknown format in --to: {', '.join(sorted(unknown)) or '(none)'}")
        return None
    if args.pdf_each and "pdf" not in wanted:
        _complain("--pdf-each needs pdf in --to")
        return None
    return wanted


def cmd_render(args) -> int:
    """symderive render: verify, then write the documents (--to md,tex,pdf) into --out."""
    from .documents import write_documents
    from .plot import MISSING, available
    from .render.pdf import require_pdflatex

    wanted = _render_targets(args)
    if wanted is None:
        return EXIT_BAD_INPUT
    try:
        if "pdf" in wanted:
            require_pdflatex()  # before verifying, which takes a while
    except SymderiveError as error:
        _complain(error)
        return EXIT_BAD_INPUT
    reports = [r for _, r in _verify_paths(args)]
    _print_errors(reports)
    try:
        written = write_documents([r for r in reports if r.error is None], Path(args.out), wanted,
                                  pdf_each=args.pdf_each)
    except SymderiveError as error:
        _complain(error)
        return EXIT_BAD_INPUT
    if not args.quiet:
        for path in written:
            print(f"wrote {path}")
    if not available():
        _complain(MISSING)
    sys.stdout.write(verify_formats.to_text(reports, quiet=args.quiet, color=use_color(args.color)))
    return _exit_code(reports)


def _catalog_listing() -> dict:
    """The activations and rules as data (reads the catalog: imports SymPy)."""
    from .catalog import ACTIVATIONS
    from .rules import RULES

    activations = [{"name": a.name, "title": a.title, "aliases": list(a.aliases),
                    "definition": str(a.expr), "derivative": str(a.derivative),
                    "output_form": None if a.output_form is None else str(a.output_form),
                    "parameters": dict(a.parameters),
                    "kinks": [{"at": str(k.at), "left": str(k.left), "right": str(k.right),
                               "convention": str(k.convention), "source": k.convention_source}
                              for k in a.kinks]}
                   for a in ACTIVATIONS.values()]
    rules = [{"name": r.name, "statement": r.statement, "aliases": list(r.aliases)} for r in RULES.values()]
    return {"activations": activations, "rules": rules}


def _cached_catalog_listing(cache: VerdictCache | None) -> dict:
    """The catalog only changes with symderive itself: cached under its version."""
    if cache is None:
        return _catalog_listing()
    key = cache.key("catalog listing", [])
    listing = cache.get(key)
    if listing is None:
        listing = _catalog_listing()
        cache.put(key, listing)
    return listing


def cmd_list(args) -> int:
    """symderive list: the activations, the rules, and each derivation with its status."""
    reports = [r for _, r in _verify_paths(args)]
    derivations = [{"name": r.name, "file": r.file, "title": r.title, "activation": r.activation,
                    "status": r.status} for r in reports]
    by_activation: dict = {}
    for report in reports:
        if report.activation:
            by_activation.setdefault(report.activation, []).append(report)
    listing = _cached_catalog_listing(_cache_for(args))
    activations = [{**a, "derivations": [r.name for r in by_activation.get(a["name"], [])],
                    "verified": any(r.status == VERIFIED for r in by_activation.get(a["name"], []))}
                   for a in listing["activations"]]
    rules = listing["rules"]
    if args.format == "json":
        print(json.dumps({"activations": activations, "rules": rules, "derivations": derivations}, indent=2))
    else:
        print("activations:")
        for a in activations:
            print(f"  {a['name']:<10} {a['title']}; derivative {a['derivative']}")
        print("rules:")
        for r in rules:
            print(f"  {r['name']:<13} {r['statement']}")
        print("derivations:")
        for d in derivations:
            print(f"  {d['status']:<10} {d['name']}: {d['title']}")
    return _exit_code(reports)


def cmd_hook(args) -> int:
    """pre-commit's entry: the staged .toml derivation files are verified,
    the other files checked as posts; the worse exit code wins."""
    from .batch import hook_targets

    derivations, posts = hook_targets(args.files)
    codes = [EXIT_OK]
    if derivations:
        codes.append(cmd_verify(argparse.Namespace(**vars(args), paths=derivations)))
    if posts:
        codes.append(cmd_check(argparse.Namespace(**vars(args), posts=posts)))
    return max(codes)


# ---- posts: check, import ------------------------------------------------------------

def _read_post(path: str) -> str:
    try:
        size = Path(path).stat().st_size
        if size > MAX_POST_BYTES:  # before reading it: a huge file is refused, not loaded
            raise SymderiveError(f"post larger than {MAX_POST_BYTES} bytes ({size})", Origin(path, 1, 1))
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SymderiveError(f"cannot read: {error}", Origin(path, 1, 1)) from error


def _checked_post(text: str, path: str, timeout: float, cache: VerdictCache | None):
    """The report of one post: from the verdict cache when these bytes were
    checked before (SymPy is then not even imported), else checked in the
    persistent prover worker and stored unless a verdict was a timeout."""
    key = None
    if cache is not None:
        key = cache.key("post", [path, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), timeout])
        stored = cache.get(key)
        if stored is not None:
            return decode_post(stored)
    from .post.check import check_post_supervised

    report = check_post_supervised(text, path, timeout)
    if key is not None and post_is_lasting(report):
        cache.put(key, encode_post(report))
    return report


def cmd_check(args) -> int:
    """symderive check: check every relation of each post; a post that cannot be read
    is reported and the others are still checked."""
    started = time.monotonic()
    reports, errors, texts = [], [], []
    progress = _progress_for(args)
    cache = _cache_for(args)
    for number, path in enumerate(args.posts, start=1):
        if progress:
            progress(number, len(args.posts), Path(path))
        try:
            text = _read_post(path)
            report = _checked_post(text, path, args.timeout, cache)
        except RuntimeError as error:  # the worker failed outside any proof: this post is unreadable
            _complain(f"{path}: internal error: {error}")
            errors.append(f"{path}:1:1: internal error: {error}")
            continue
        except SymderiveError as error:  # this post is bad input; the others are still checked
            _complain(error)
            errors.append(str(error))
            continue
        reports.append(report)
        texts.append(text)
    if args.format == "json":
        sys.stdout.write(check_formats.to_json(reports, errors))
    elif args.format == "github":
        sys.stdout.write(check_formats.to_github(reports, errors))
    elif args.format == "junit":
        sys.stdout.write(check_formats.to_junit(reports, errors, time.monotonic() - started))
    else:
        color = use_color(args.color)
        for report, text in zip(reports, texts):
            sys.stdout.write(check_formats.to_text(report, text, quiet=args.quiet, color=color))
    if errors:
        return EXIT_BAD_INPUT
    return EXIT_OK if all(r.status == VERIFIED for r in reports) else EXIT_FAILED


def cmd_import(args) -> int:
    """Each post's files written (in the persistent prover worker, as check
    runs); a bad post is reported and the others still imported."""
    from .post.importer import plan_import_supervised, write_plan

    out = Path(args.output)
    several = len(args.posts) > 1
    codes = []
    for post in args.posts:
        try:
            text = _read_post(post)
            plan = plan_import_supervised(text, post, args.timeout)
            written = write_plan(plan, out / f"{Path(post).stem}.toml" if several else out)
        except RuntimeError as error:  # the worker failed outside any proof
            _complain(f"{post}: internal error: {error}")
            codes.append(EXIT_BAD_INPUT)
            continue
        except SymderiveError as error:
            _complain(error)
            codes.append(EXIT_BAD_INPUT)
            continue
        for path in written:
            print(f"wrote {path}")
        for claim in plan.left_out:
            _complain(f"{post}:{claim.line}:{claim.column}: left out: {claim.reason}")
        codes.append(EXIT_OK)
    return max(codes)


# ---- derive, plot -------------------------------------------------------------------

def cmd_derive(args) -> int:
    """symderive derive: generate the derivation of a catalog name or LaTeX expression and verify it."""
    from .api import derived
    from .render import render_latex, render_markdown

    try:
        toml, report = derived(args.expression, args.wrt)
    except SymderiveError as error:
        _complain(error)
        return EXIT_BAD_INPUT
    if args.to == "toml":
        sys.stdout.write(toml)
    else:
        sys.stdout.write(render_markdown(report) if args.to == "md" else render_latex(report))
    _complain(f"the derivation is {report.status}")
    return EXIT_OK if report.status == VERIFIED else EXIT_FAILED


def cmd_plot(args) -> int:
    """symderive plot: an SVG of f and f' for each activation named."""
    from .plot import write_plots

    try:
        for path in write_plots(args.names, Path(args.out)):
            print(f"wrote {path}")
    except SymderiveError as error:
        _complain(error)
        return EXIT_BAD_INPUT
    return EXIT_OK


HANDLERS = {"verify": cmd_verify, "render": cmd_render, "list": cmd_list, "check": cmd_check,
            "import": cmd_import, "derive": cmd_derive, "hook": cmd_hook, "plot": cmd_plot}
