#!/usr/bin/env python3
"""Generate the Jieba user dictionary of policy terms: data/jieba/policy_terms.txt.

Sources: the Chinese title, keywords and synonyms in the front matter of content/policies/<id>.md,
and the synonym lists of the NLU data (data/nlu/synonyms.yml), so that the words residents use for
a policy come out of JiebaTokenizer as whole tokens and `benefit` entities align with tokens
(rasa issue 8722). Run from anywhere: `python assistant/scripts/make_dictionary.py`.
Deterministic: the same inputs give the same file (sorted, fixed frequency).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import yaml

ASSISTANT = Path(__file__).resolve().parents[1]
REPO = ASSISTANT.parent
FREQUENCY = 2000  # high enough that a listed term beats jieba's default split of it
TERM = re.compile(r"^[\u4e00-\u9fff0-9A-Za-z]{2,12}$")


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return {}
    end = text.find("\n---", 3)
    return yaml.safe_load(text[3:end]) or {} if end != -1 else {}


def content_terms(policies_dir: Path) -> Iterable[str]:
    for path in sorted(policies_dir.glob("*.md")):
        if path.name.endswith(".en.md"):
            continue
        meta = front_matter(path)
        title = (meta.get("title") or {}).get("zh")
        if title:
            yield title
        yield from ((meta.get("keywords") or {}).get("zh") or [])
        yield from meta.get("synonyms") or []


def nlu_synonym_terms(synonyms_file: Path) -> Iterable[str]:
    if not synonyms_file.exists():
        return
    data = yaml.safe_load(synonyms_file.read_text(encoding="utf-8")) or {}
    for block in data.get("nlu") or []:
        if "synonym" in block:
            for line in str(block.get("examples") or "").splitlines():
                term = line.strip().removeprefix("- ").strip()
                if term:
                    yield term


def select(terms: Iterable[str]) -> list[str]:
    """Keep plain multi-character terms; drop a term that is one character glued to another term
    (办残疾证 = 办 + 残疾证): as one token it would swallow the verb and misalign the entity."""
    kept = {t.strip() for t in terms if t and TERM.match(t.strip()) and not t.strip().isdigit()}
    return sorted(t for t in kept if not (len(t) > 2 and (t[1:] in kept or t[:-1] in kept)))


ANNOTATION = re.compile(r"\[([^\]]+)\](\([^)]*\)|\{[^}]*\})")


def misaligned_examples(dictionary: Path) -> list[str]:
    """NLU examples whose entity would not start and end on a token boundary with this dictionary
    (Rasa drops such annotations in training). Needs the assistant venv (jieba, rasa)."""
    import logging

    import jieba
    from rasa.nlu.tokenizers.tokenizer import Token

    sys.path.insert(0, str(ASSISTANT))
    from components.tokenizer import clean_tokens

    jieba.setLogLevel(logging.WARNING)
    jieba.load_userdict(str(dictionary))
    problems = []
    for path in sorted((ASSISTANT / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            if "intent" not in block:
                continue
            for line in str(block.get("examples") or "").splitlines():
                example = line.strip()[2:].strip()
                text, spans, pos = "", [], 0
                for match in ANNOTATION.finditer(example):
                    text += example[pos:match.start()]
                    start = len(text)
                    text += match.group(1)
                    spans.append((start, len(text)))
                    pos = match.end()
                text += example[pos:]
                tokens = clean_tokens([Token(w, s) for w, s, _ in jieba.tokenize(text)])
                starts, ends = {t.start for t in tokens}, {t.end for t in tokens}
                problems += [f"{path.name}: {text} [{text[s:e]}]" for s, e in spans
                             if s not in starts or e not in ends]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=REPO / "content" / "policies")
    parser.add_argument("--synonyms", type=Path, default=ASSISTANT / "data" / "nlu" / "synonyms.yml")
    parser.add_argument("--out", type=Path, default=ASSISTANT / "data" / "jieba" / "policy_terms.txt")
    args = parser.parse_args(argv)

    terms = select([*content_terms(args.content), *nlu_synonym_terms(args.synonyms)])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("".join(f"{t} {FREQUENCY} n\n" for t in terms), encoding="utf-8")
    print(f"{args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out}: {len(terms)} terms")
    try:
        problems = misaligned_examples(args.out)
    except ImportError:
        print("(alignment check skipped: run with assistant/.venv/bin/python)")
        return 0
    for problem in problems:
        print(f"misaligned entity: {problem}")
    print(f"entity annotations misaligned with the tokens: {len(problems)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
