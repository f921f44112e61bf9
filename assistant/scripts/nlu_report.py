#!/usr/bin/env python3
"""Print intent accuracy, per-intent F1 and entity F1 from a `rasa test nlu` output folder.

Exit status 1 when the intent accuracy is below --min-intent-accuracy, the accuracy on the hand-written
held-out examples (those not in --generated) below --min-written-accuracy, or the F1 of each entity named
in --min-entity-f1 (ENTITY=F1, repeatable) below its floor.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("results", type=Path)
    parser.add_argument("--min-intent-accuracy", type=float, default=0.85)
    parser.add_argument("--generated", type=Path, help="NLU file of generated examples, reported apart")
    parser.add_argument("--min-written-accuracy", type=float, default=0.0,
                        help="floor for the intent accuracy on hand-written held-out examples (needs --generated)")
    parser.add_argument("--min-entity-f1", action="append", default=[], metavar="ENTITY=F1",
                        help="floor for one entity's F1, e.g. benefit=0.95 (repeatable)")
    args = parser.parse_args()

    intents = json.loads((args.results / "intent_report.json").read_text(encoding="utf-8"))
    accuracy = float(intents["accuracy"])
    print(f"intent accuracy: {accuracy:.3f} (held-out examples: {int(intents['macro avg']['support'])})")
    print("per-intent F1:")
    for name, row in sorted(intents.items()):
        if isinstance(row, dict) and name not in ("macro avg", "weighted avg", "micro avg"):
            print(f"  {name:<24} f1={row['f1-score']:.3f}  support={row['support']}")
    failures = []
    entity_f1: dict[str, float] = {}
    entity_file = args.results / "DIETClassifier_report.json"
    if entity_file.exists():
        entities = json.loads(entity_file.read_text(encoding="utf-8"))
        for avg in ("micro avg", "macro avg", "weighted avg"):
            if avg in entities:
                print(f"entity F1 ({avg}): {entities[avg]['f1-score']:.3f}")
                break
        for name, row in sorted(entities.items()):
            if isinstance(row, dict) and "avg" not in name and name != "accuracy":
                print(f"  entity {name:<20} f1={row['f1-score']:.3f}  support={row['support']}")
                entity_f1[name] = float(row["f1-score"])
    for floor in args.min_entity_f1:
        name, _, value = floor.partition("=")
        if name not in entity_f1:
            failures.append(f"entity {name}: no F1 in {entity_file}")
        elif entity_f1[name] < float(value):
            failures.append(f"entity {name} F1 {entity_f1[name]:.3f} < {float(value)}")
    successes_file = args.results / "intent_successes.json"
    if args.generated and successes_file.exists():
        generated = {
            re.sub(r"\[([^\]]+)\](\([^)]*\)|\{[^}]*\})", r"\1", line.strip()[2:].strip())
            for line in args.generated.read_text(encoding="utf-8").splitlines()
            if line.strip().startswith("- ") and not line.strip().startswith("- intent:")
        }
        outcomes = [(x["text"], True) for x in json.loads(successes_file.read_text(encoding="utf-8"))]
        outcomes += [(x["text"], False) for x in json.loads(
            (args.results / "intent_errors.json").read_text(encoding="utf-8"))]
        written = [ok for text, ok in outcomes if text not in generated]
        made = [ok for text, ok in outcomes if text in generated]
        if written:
            written_accuracy = sum(written) / len(written)
            print(f"intent accuracy on hand-written held-out examples: {written_accuracy:.3f} "
                  f"({len(written)}); on generated ones: {sum(made) / max(len(made), 1):.3f} ({len(made)})")
            if written_accuracy < args.min_written_accuracy:
                failures.append(f"intent accuracy on hand-written examples {written_accuracy:.3f} "
                                f"< {args.min_written_accuracy}")
    elif args.min_written_accuracy > 0:
        failures.append("no hand-written accuracy: needs --generated and intent_successes.json (--successes)")
    if accuracy < args.min_intent_accuracy:
        failures.insert(0, f"intent accuracy {accuracy:.3f} < {args.min_intent_accuracy}")
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
