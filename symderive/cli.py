"""Command line: parse arguments, call the library, print. Nothing else.

Exit codes: 0 every derivation verified; 1 some derivation failed or is
incomplete; 2 bad input or usage (the other files are still checked).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import time
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2

DESCRIPTION = """\
symderive proves or refutes step-by-step calculus derivations.

Each step of a derivation file (derivations/*.toml) is proved equal to the
line before it or refuted with a counterexample; the rule the step names is
replayed and must produce the step; the result is checked against
sympy.diff of the activation.
"""

EPILOG = """\
exit codes: 0 all verified, 1 a derivation failed or is incomplete,
            2 bad input or usage (other files are still checked)

examples:
  symderive verify                       check every file in derivations/
  symderive verify derivations/000_relu_cases.toml --format json
  symderive verify --format github       annotations for a GitHub Actions log
  symderive verify --format junit > symderive.xml
  symderive verify --quiet --color never only failures and the summary line
  symderive hook derivations/relu6.toml post.md   what the pre-commit hook runs
  symderive render --out output/ --to md,tex,pdf
  symderive check post.md                check every relation of a post
  symderive import post.md -o derivations/post.toml
  symderive import posts/*.md -o derivations/   one folder, files named after each post
  symderive derive sigmoid               a derivation, one rule per step
  symderive derive '\\tanh(x^2)' --to md
  symderive list
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="symderive", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    verify = commands.add_parser("verify", help="prove or refute every step of derivation files",
                                 description="Prove or refute every step of derivation files.")
    verify.add_argument("paths", nargs="*", default=["derivations"], metavar="PATH",
                        help="derivation files or folders (default: derivations/)")
    verify.add_argument("--format", choices=FORMATS, default="text",
                        help="report format: text, json, github (workflow annotations) or junit (XML)")
    _output_options(verify)
    verify.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                        help="time limit per step; a step over it is 'unknown' (default 10)")
    _add_run_options(verify)

    render = commands.add_parser("render", help="verify, then write Markdown/LaTeX/PDF documents",
                                 description="Verify derivations and render them to documents.")
    render.add_argument("paths", nargs="*", default=["derivations"], metavar="PATH")
    render.add_argument("--out", default="output", metavar="DIR", help="output folder (default: output/)")
    render.add_argument("--to", default="md,tex", metavar="FORMATS",
                        help="comma-separated: md, tex, pdf (default: md,tex); pdf is one booklet, "
                             "DIR/symderive.pdf, of every derivation")
    render.add_argument("--pdf-each", action="store_true",
                        help="with --to pdf, also one PDF per derivation (DIR/NAME.pdf, from its .tex)")
    render.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                        help="time limit per step; a step over it is 'unknown' (default 10)")
    _add_run_options(render)
    _output_options(render)

    check = commands.add_parser("check", help="check every relation of a Markdown or LaTeX post",
                                description="Find the math of a post (Markdown, LaTeX or plain text with "
                                            "math delimiters), its definitions and case conditions, and "
                                            "prove or refute every relation between neighbouring parts.")
    check.add_argument("posts", nargs="+", metavar="POST")
    check.add_argument("--format", choices=FORMATS, default="text",
                       help="report format: text, json, github (workflow annotations) or junit (XML)")
    _output_options(check)
    check.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                       help="time limit per claim; a claim over it is 'unknown' (default 10)")
    check.add_argument("--no-cache", action="store_true",
                       help="check everything again: neither read nor write the verdict cache")

    importer = commands.add_parser("import", help="write derivation files from a post's chains",
                                   description="Write one derivation file per chain of a post, with the "
                                               "verdicts check gave; with several chains, OUT gets a "
                                               "two-digit suffix per chain. With several posts, OUT is a "
                                               "folder and each post's files are named after it. Claims "
                                               "no file can hold are listed with the reason.")
    importer.add_argument("posts", nargs="+", metavar="POST")
    importer.add_argument("-o", "--output", required=True, metavar="OUT.toml|FOLDER")
    importer.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS")

    derive = commands.add_parser("derive", help="generate a step-by-step derivation, one rule per step",
                                 description="Generate the derivation of an activation (catalog name) or "
                                             "of a LaTeX expression, one named rule per step, and verify it.")
    derive.add_argument("expression", metavar="NAME|EXPR")
    derive.add_argument("--wrt", default="x", metavar="VARIABLE", help="the variable (default x)")
    derive.add_argument("--to", choices=("toml", "md", "tex"), default="toml", help="output format")

    plot = commands.add_parser("plot", help="draw f and f' of activations (needs matplotlib)",
                               description="Draw each activation and its derivative as an SVG file.")
    plot.add_argument("names", nargs="+", metavar="NAME")
    plot.add_argument("--out", default="output/plots", metavar="DIR")

    hook = commands.add_parser("hook", help="pre-commit entry: verify .toml files, check other files as posts",
                               description="Verify the derivation files (.toml) and check the posts (any other "
                                           "file) among FILE; TOML files without [[steps]] are skipped.")
    hook.add_argument("files", nargs="*", metavar="FILE")
    hook.add_argument("--format", choices=("text", "github"), default="text")
    hook.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS")
    _output_options(hook)
    _add_run_options(hook)

    listing = commands.add_parser("list", help="activations, rules and derivations with their status")
    listing.add_argument("paths", nargs="*", default=["derivations"], metavar="PATH")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS")
    _add_run_options(listing)
    return parser


def _add_run_options(command) -> None:
    command.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                         help="verify N files at once in worker processes; output order is the "
                              "same whatever N is (default: one per CPU)")
    command.add_argument("--no-cache", action="store_true",
                         help="prove everything again: neither read nor write the verdict cache "
                              "(default: $SYMDERIVE_CACHE_DIR, else ~/.cache/symderive)")


def _verify_paths(args):
    """api.verify with the run options of ``args``."""
    import os

    from . import api
    from .settings import Settings

    cache = None
    if not args.no_cache:
        from .cache import VerdictCache

        cache = VerdictCache()
    jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
    return api.verify(args.paths, Settings(timeout=args.timeout), progress=_progress_for(args), jobs=jobs,
                      cache=cache)


FORMATS = ("text", "json", "github", "junit")


def _output_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("-q", "--quiet", action="store_true",
                         help="print only what failed and the summary line; no progress bar")
    command.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                         help="colour the text report (auto: when stdout is a terminal and NO_COLOR is unset)")


def _use_color(choice: str) -> bool:
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


def _exit_code(reports) -> int:
    statuses = {r.status for r in reports}
    if "error" in statuses:
        return EXIT_BAD_INPUT
    return EXIT_OK if statuses <= {"verified"} else EXIT_FAILED


def _print_errors(reports) -> None:
    for report in reports:
        if report.error is not None:
            print(f"symderive: {report.error}", file=sys.stderr)


def cmd_verify(args) -> int:
    started = time.monotonic()
    results = _verify_paths(args)
    from .emit import derivations as formats  # after the workers have started: they do not need it
    reports = [r for _, r in results]
    _print_errors(reports)
    if args.format == "json":
        sys.stdout.write(formats.to_json(reports))
    elif args.format == "github":
        sys.stdout.write(formats.to_github(reports))
    elif args.format == "junit":
        sys.stdout.write(formats.to_junit(reports, time.monotonic() - started))
    else:
        sys.stdout.write(formats.to_text(reports, quiet=args.quiet, color=_use_color(args.color)))
    return _exit_code(reports)


def cmd_render(args) -> int:
    from .emit import derivations as formats
    from .errors import SymderiveError
    from .documents import write_documents

    wanted = [f.strip() for f in args.to.split(",") if f.strip()]
    unknown = set(wanted) - {"md", "tex", "pdf"}
    if unknown or not wanted:
        print(f"symderive: unknown format in --to: {', '.join(sorted(unknown)) or '(none)'}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.pdf_each and "pdf" not in wanted:
        print("symderive: --pdf-each needs pdf in --to", file=sys.stderr)
        return EXIT_BAD_INPUT
    if "pdf" in wanted:
        from .render.pdf import require_pdflatex

        try:
            require_pdflatex()  # before verifying, which takes a while
        except SymderiveError as error:
            print(f"symderive: {error}", file=sys.stderr)
            return EXIT_BAD_INPUT
    results = _verify_paths(args)
    reports = [r for _, r in results]
    _print_errors(reports)
    try:
        written = write_documents([r for r in reports if r.error is None], Path(args.out), wanted,
                                  pdf_each=args.pdf_each)
    except SymderiveError as error:
        print(f"symderive: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not args.quiet:
        for path in written:
            print(f"wrote {path}")
    from .plot import MISSING, available

    if not available():
        print(f"symderive: {MISSING}", file=sys.stderr)
    sys.stdout.write(formats.to_text(reports, quiet=args.quiet, color=_use_color(args.color)))
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


def cmd_list(args) -> int:
    import json

    results = _verify_paths(args)
    derivations = [{"name": r.name, "file": r.file, "title": r.title, "activation": r.activation,
                    "status": r.status} for _, r in results]
    by_activation: dict = {}
    for _, report in results:
        if report.activation:
            by_activation.setdefault(report.activation, []).append(report)
    listing = None
    if not args.no_cache:
        # the catalog only changes with symderive itself: cached under its version
        from .cache import VerdictCache

        cache = VerdictCache()
        key = cache.key("catalog listing", [])
        listing = cache.get(key)
        if listing is None:
            listing = _catalog_listing()
            cache.put(key, listing)
    listing = listing or _catalog_listing()
    activations = [{**a, "derivations": [r.name for r in by_activation.get(a["name"], [])],
                    "verified": any(r.status == "verified" for r in by_activation.get(a["name"], []))}
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
    return _exit_code([r for _, r in results])


def _read_post(path: str):
    from .errors import Origin, SymderiveError

    from .post.extract import MAX_POST_BYTES

    try:
        size = Path(path).stat().st_size
        if size > MAX_POST_BYTES:  # before reading it: a huge file is refused, not loaded
            raise SymderiveError(f"post larger than {MAX_POST_BYTES} bytes ({size})", Origin(path, 1, 1))
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SymderiveError(f"cannot read: {error}", Origin(path, 1, 1)) from error


def _checked_post(text: str, path: str, timeout: float, cache):
    """The report of one post: from the verdict cache when these bytes were
    checked before (SymPy is then not even imported), else checked in the
    persistent prover worker and stored unless a verdict was a timeout."""
    import hashlib

    from .post.report import decode_post, encode_post, post_is_lasting

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
    from .emit import posts as formats
    from .errors import SymderiveError

    started = time.monotonic()
    reports, errors, texts = [], [], []
    progress = _progress_for(args)
    cache = None
    if not getattr(args, "no_cache", False):
        from .cache import VerdictCache

        cache = VerdictCache()
    for number, path in enumerate(args.posts, start=1):
        if progress:
            progress(number, len(args.posts), Path(path))
        try:
            text = _read_post(path)
            report = _checked_post(text, path, args.timeout, cache)
        except RuntimeError as error:  # the worker failed outside any proof: this post is unreadable
            print(f"symderive: {path}: internal error: {error}", file=sys.stderr)
            errors.append(f"{path}:1:1: internal error: {error}")
            continue
        except SymderiveError as error:  # this post is bad input; the others are still checked
            print(f"symderive: {error}", file=sys.stderr)
            errors.append(str(error))
            continue
        reports.append(report)
        texts.append(text)
    if args.format == "json":
        sys.stdout.write(formats.to_json(reports, errors))
    elif args.format == "github":
        sys.stdout.write(formats.to_github(reports, errors))
    elif args.format == "junit":
        sys.stdout.write(formats.to_junit(reports, errors, time.monotonic() - started))
    else:
        color = _use_color(args.color)
        for report, text in zip(reports, texts):
            sys.stdout.write(formats.to_text(report, text, quiet=args.quiet, color=color))
    if errors:
        return EXIT_BAD_INPUT
    return EXIT_OK if all(r.status == "verified" for r in reports) else EXIT_FAILED


def cmd_hook(args) -> int:
    """pre-commit's entry: the staged .toml derivation files are verified,
    the other files checked as posts; the worse exit code wins."""
    from .python_api import hook_targets

    derivations, posts = hook_targets(args.files)
    codes = [EXIT_OK]
    if derivations:
        codes.append(cmd_verify(argparse.Namespace(**vars(args), paths=derivations)))
    if posts:
        codes.append(cmd_check(argparse.Namespace(**vars(args), posts=posts)))
    return max(codes)


def cmd_import(args) -> int:
    """Each post's files written (in the persistent prover worker, as check
    runs); a bad post is reported and the others still imported."""
    from .errors import SymderiveError
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
            print(f"symderive: {post}: internal error: {error}", file=sys.stderr)
            codes.append(EXIT_BAD_INPUT)
            continue
        except SymderiveError as error:
            print(f"symderive: {error}", file=sys.stderr)
            codes.append(EXIT_BAD_INPUT)
            continue
        for path in written:
            print(f"wrote {path}")
        for claim in plan.left_out:
            print(f"symderive: {post}:{claim.line}:{claim.column}: left out: {claim.reason}", file=sys.stderr)
        codes.append(EXIT_OK)
    return max(codes)


def cmd_derive(args) -> int:
    from .catalog import lookup
    from .derivation import loads
    from .derive import derive, derive_latex
    from .engine import verify_derivation
    from .errors import SymderiveError

    try:
        generated = derive(args.expression) if lookup(args.expression) else derive_latex(args.expression, args.wrt)
        report = verify_derivation(loads(generated.toml, "<derived>.toml"))
    except SymderiveError as error:
        print(f"symderive: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.to == "toml":
        sys.stdout.write(generated.toml)
    else:
        from .render import render_latex, render_markdown

        sys.stdout.write(render_markdown(report) if args.to == "md" else render_latex(report))
    print(f"symderive: the derivation is {report.status}", file=sys.stderr)
    return EXIT_OK if report.status == "verified" else EXIT_FAILED


def cmd_plot(args) -> int:
    from .errors import SymderiveError
    from .plot import write_plots

    try:
        for path in write_plots(args.names, Path(args.out)):
            print(f"wrote {path}")
    except SymderiveError as error:
        print(f"symderive: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits 2 on usage errors, 0 on --help
        return int(exit_.code or 0)
    if args.command is None:
        parser.print_help()
        return EXIT_BAD_INPUT
    handlers = {"verify": cmd_verify, "render": cmd_render, "list": cmd_list, "check": cmd_check,
                "import": cmd_import, "derive": cmd_derive, "hook": cmd_hook,
                "plot": cmd_plot}
    from .errors import SymderiveError

    previous = _stop_on_sigterm()
    try:
        return handlers[args.command](args)
    except SymderiveError as error:  # bad input found outside a command's own handling
        print(f"symderive: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("symderive: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `symderive list | head`: the reader has what it wanted
        # further writes (and the flush at exit) go nowhere instead of raising again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except _Terminated:
        print("symderive: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def run() -> None:
    """The console command: ``main()``, its output flushed, then the process
    ends without the interpreter's teardown (freeing every object and module
    one by one, and joining the workers): ~12 ms of a warm run, which a
    pre-commit hook waits for. Nothing is left to it: files are written and
    closed, each cache entry was its own transaction, and the workers are
    killed here (a run started through main() alone is not affected)."""
    code = main()
    if "symderive.runner" in sys.modules:
        from .runner import kill_workers

        kill_workers()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader went away before the last write: as main() treats it
        code = 1
    os._exit(code)


class _Terminated(BaseException):
    """SIGTERM as an exception, so cleanup (``finally``) runs before exit:
    the staging folder of ``render`` is removed and output/ stays as it was."""


def _raise_terminated(signum, frame):
    raise _Terminated()


def _stop_on_sigterm():
    """Install the SIGTERM handler; the previous one, or None when signals
    cannot be handled here (main() called from a thread other than the main one)."""
    try:
        return signal.signal(signal.SIGTERM, _raise_terminated)
    except ValueError:
        return None


if __name__ == "__main__":
    run()
