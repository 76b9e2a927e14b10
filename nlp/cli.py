"""``linli nlp classify|eval|learn|propose``: the rules seen from a terminal.

``register(subparsers)`` adds the group to the main ``linli`` parser (bot/cli.py);
``python -m nlp.cli`` runs it alone.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from pathlib import Path

from nlp import dataset
from nlp.classify import classify, load
from nlp.evaluate import evaluate
from nlp import learn
from nlp.loader import DEFAULT_DIR, RuleError
from nlp.propose import propose, to_yaml

_FIELD_CHOICES = ("department", "kind", "urgent", "alerted", "topic", "places", "is_request", "all")


def _reported(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Rule-file, data and file errors become one message and exit code 2, not a traceback."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except (RuleError, ValueError, OSError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2

    return run


@_reported
def _cmd_classify(args: argparse.Namespace) -> int:
    result = classify(args.text)
    print(f"intent      {result.intent}{' ' + result.chat if result.chat else ''}"
          f"{' → answer ' + result.answer.name if result.answer else ''}\n"
          f"department  {result.department}\ntopic       {result.topic}\nkind        {result.kind}\n"
          f"urgent      {'是' if result.urgent else '可能 (网格长核实)' if result.maybe_urgent else '否'}\n"
          f"places      {', '.join(f'{p.kind}:{p.value}' for p in result.places) or '-'}\n"
          f"confidence  {result.confidence:.2f}\ntokens      {' / '.join(result.tokens)}\nwhy:")
    for line in result.why:
        print(f"  - {line}")
    return 0


@_reported
def _cmd_eval(args: argparse.Namespace) -> int:
    examples = [e for path in args.data for e in dataset.read(path)]
    fields = (*dataset.FIELDS, *dataset.DERIVED) if args.field == "all" else (args.field,)
    result = evaluate(examples, fields)
    for field, rep in result.reports.items():
        print(rep.format())
        if field in ("urgent", "alerted", "is_request") and any(c.label == "True" for c in rep.classes):
            s = rep.stats("True")
            print(f"{field}: recall={s.recall:.3f} precision={s.precision:.3f}")
        if args.errors:
            for e, pred in result.errors[field][: args.errors]:
                print(f"  ✗ line {e.line}: gold={e.labels[field]} got={pred}  {e.text[:60]}")
        print()
    print(f"{result.n} messages in {result.seconds:.3f} s: {result.per_second:,.0f} msgs/s")
    return 0


@_reported
def _cmd_learn(args: argparse.Namespace) -> int:
    engine = load()
    read = lambda paths: [e for path in paths for e in dataset.read(path)]  # noqa: E731
    data = learn.corpus(engine, read(args.letters), read(args.tokenized), read(args.messages))
    weights = learn.train(data, per_class=args.per_class)
    note = ("Learned department weights: written by 'linli nlp learn', read by nlp/weights.py (README, nlp).\n"
            f"{len(data.labels)} training rows (short messages counted {learn.MESSAGE_WEIGHT} times) from: "
            + ", ".join(p.name for p in (*args.letters, *args.tokenized, *args.messages)) + ".\n"
            "score(department) = intercept + sum over features of tfidf x weight; "
            "tfidf = (1 + ln count) x idf, scaled to unit length.")
    learn.write(weights, args.output, note)
    print(f"wrote {args.output}: {len(weights)} features x {len(weights.classes)} departments", file=sys.stderr)
    return 0


@_reported
def _cmd_propose(args: argparse.Namespace) -> int:
    engine = load()
    examples = [e for path in args.data for e in dataset.read(path)]
    text = to_yaml(engine, examples, propose(engine, examples, by=args.by, min_count=args.min_count), by=args.by)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}: review it, then move it into config/nlp/", file=sys.stderr)
    else:
        print(text, end="")
    return 0


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add ``nlp`` with its sub-commands; each sets ``args.func(args) -> exit code``."""
    parser = subparsers.add_parser("nlp", help="classify requests, evaluate and learn rules")
    commands = parser.add_subparsers(dest="nlp_command", required=True)
    p = commands.add_parser("classify", help="print every field for one message and why")
    p.add_argument("text")
    p.set_defaults(func=_cmd_classify)
    p = commands.add_parser("eval", help="accuracy, macro-F1, per-class P/R, confusion on labelled CSVs")
    p.add_argument("data", type=Path, nargs="+", help="one or more labelled CSV files, evaluated together")
    p.add_argument("--field", choices=_FIELD_CHOICES, default="all")
    p.add_argument("--errors", type=int, default=0, metavar="N", help="also list N misclassified messages")
    p.set_defaults(func=_cmd_eval)
    p = commands.add_parser("learn", help="fit department word weights (needs the [train] extra)")
    p.add_argument("--letters", type=Path, nargs="*", default=[], help="labelled CSVs of raw text")
    p.add_argument("--tokenized", type=Path, nargs="*", default=[], help="labelled CSVs already cut into words")
    p.add_argument("--messages", type=Path, nargs="*", default=[], help="short chat messages (weighted up)")
    p.add_argument("-o", "--output", type=Path, default=DEFAULT_DIR / "weights.tsv")
    p.add_argument("--per-class", type=int, default=learn.PER_CLASS, help="features kept per department")
    p.set_defaults(func=_cmd_learn)
    p = commands.add_parser("propose", help="propose topic keywords from labelled CSVs, for review")
    p.add_argument("data", type=Path, nargs="+")
    p.add_argument("-o", "--output", type=Path)
    p.add_argument("--by", choices=("topic", "department"), default="topic")
    p.add_argument("--min-count", type=int, default=2)
    p.set_defaults(func=_cmd_propose)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="linli")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["nlp", *(argv if argv is not None else sys.argv[1:])])
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
