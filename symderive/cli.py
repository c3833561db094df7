"""Command line: parse the arguments, run the command's handler
(``commands.py``), turn what escapes it into a message and an exit code.

Exit codes: 0 every derivation verified; 1 some derivation failed or is
incomplete; 2 bad input or usage (the other files are still checked).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys

from .commands import EXIT_BAD_INPUT, HANDLERS
from .errors import SymderiveError
from .settings import DEFAULT_TIMEOUT

FORMATS = ("text", "json", "github", "junit")

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
    verify.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"time limit per step; a step over it is 'unknown' (default {DEFAULT_TIMEOUT:g})")
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
    render.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"time limit per step; a step over it is 'unknown' (default {DEFAULT_TIMEOUT:g})")
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
    check.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                       help=f"time limit per claim; a claim over it is 'unknown' (default {DEFAULT_TIMEOUT:g})")
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
    importer.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS")

    derive = commands.add_parser("derive", help="generate a step-by-step derivation, one rule per step",
                                 description="Generate the derivation of an activation, a loss or a layer "
                                             "(catalog name) or of a LaTeX expression, one named rule per step, "
                                             "and verify it. A loss or layer is derived in index notation for "
                                             "its symbolic sizes.")
    derive.add_argument("expression", metavar="NAME|EXPR")
    derive.add_argument("--wrt", default=None, metavar="VARIABLE",
                        help="the variable (default x); for a loss or layer, the input (W, x, b, ...; "
                             "default its first)")
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
    hook.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS")
    _output_options(hook)
    _add_run_options(hook)

    listing = commands.add_parser("list", help="activations, rules and derivations with their status")
    listing.add_argument("paths", nargs="*", default=["derivations"], metavar="PATH")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS")
    _add_run_options(listing)
    return parser


def _add_run_options(command) -> None:
    command.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                         help="verify N files at once in worker processes; output order is the "
                              "same whatever N is (default: one per CPU)")
    command.add_argument("--no-cache", action="store_true",
                         help="prove everything again: neither read nor write the verdict cache "
                              "(default: $SYMDERIVE_CACHE_DIR, else ~/.cache/symderive)")


def _output_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("-q", "--quiet", action="store_true",
                         help="print only what failed and the summary line; no progress bar")
    command.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                         help="colour the text report (auto: when stdout is a terminal and NO_COLOR is unset)")


def main(argv: list[str] | None = None) -> int:
    """Run the command ``argv`` names (default: the process's arguments); the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits 2 on usage errors, 0 on --help
        return int(exit_.code or 0)
    if args.command is None:
        parser.print_help()
        return EXIT_BAD_INPUT
    previous = _stop_on_sigterm()
    try:
        return HANDLERS[args.command](args)
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
    one by one, and joining the workers), which a pre-commit hook would
    wait for. Nothing is left to it: files are written and closed, each
    cache entry was its own transaction, and the workers are killed here
    (a run started through main() alone is not affected)."""
    code = main()
    if "symderive.runner" in sys.modules:  # workers exist only if the runner was imported
        sys.modules["symderive.runner"].kill_workers()
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
