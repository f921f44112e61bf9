"""Routing petitions: the examples of the specification, why a case went where, and accuracy on the test set."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from portal.config import PROJECT_ROOT
from portal.content import load_catalogue
from portal.petitions.routing import TRIAGE, route

CASES = yaml.safe_load((Path(__file__).parent / "petition_routing.yml").read_text(encoding="utf-8"))["cases"]
THRESHOLD = 0.85


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(PROJECT_ROOT / "content")


def test_the_examples_of_the_specification(catalogue):
    blind = route("盲道被占用", catalogue)
    assert (blind.department, blind.task) == ("urban-management", 27)
    assert "盲道被占" in blind.words and "housing-construction" in blind.also
    ramp = route("新修的楼没有坡道", catalogue)
    assert (ramp.department, ramp.task) == ("housing-construction", 27)
    fuel = route("燃油补贴没发", catalogue)  # no task covers the fuel subsidy: its policy's lead department
    assert (fuel.department, fuel.task, fuel.route) == ("dpf", None, "fuel-subsidy")


def test_nothing_matched_goes_to_triage(catalogue):
    assert route("你好", catalogue).department == TRIAGE
    assert route("", catalogue).department == TRIAGE


def test_english_words_match_whole_words_only(catalogue):
    assert route("I am so happy", catalogue).department == TRIAGE  # not "app"


def test_every_routed_department_is_a_department_of_the_content(catalogue):
    for case in CASES:
        result = route(case["text"], catalogue)
        assert result.department == TRIAGE or catalogue.department(result.department) is not None


def test_accuracy_on_the_routing_set(catalogue):
    assert len(CASES) >= 80
    wrong = [(c["text"], c["expect"], route(c["text"], catalogue).department) for c in CASES
             if route(c["text"], catalogue).department != c["expect"]]  # fmt: skip
    accuracy = 1 - len(wrong) / len(CASES)
    print(f"routing accuracy {accuracy:.1%} on {len(CASES)} cases; wrong: {wrong}")
    assert accuracy >= THRESHOLD, wrong
