"""``content/routing.yml`` is checked: one test per kind of problem."""

from __future__ import annotations

import dataclasses

import pytest

from portal.config import PROJECT_ROOT
from portal.content import load_catalogue
from portal.content.check import check_routes
from portal.content.models import Route, Text


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(PROJECT_ROOT / "content")


def problems(catalogue, **changes):
    base = Route("x", 27, None, "urban-management", Text("盲道", "paving"), ("某词",))
    route = dataclasses.replace(base, **changes)
    return [p.message for p in check_routes(dataclasses.replace(catalogue, routes=[*catalogue.routes, route]))]


def test_the_real_routing_file_is_clean(catalogue):
    assert check_routes(catalogue) == [] and len(catalogue.routes) >= 28


def test_a_department_that_is_not_a_lead_of_the_task(catalogue):
    assert any("not a lead department of task 27" in m for m in problems(catalogue, department="finance"))


def test_an_unknown_task(catalogue):
    assert any("task 99 is not in tasks.yml" in m for m in problems(catalogue, task=99))


def test_a_policy_route_goes_to_the_policys_lead(catalogue):
    assert any("lead_department" in m for m in problems(catalogue, task=None, policy="fuel-subsidy"))


def test_neither_or_both_of_task_and_policy(catalogue):
    assert any("exactly one" in m for m in problems(catalogue, task=None))


def test_a_duplicate_id(catalogue):
    assert any("duplicate" in m for m in problems(catalogue, id="blind-path"))


def test_a_word_that_routes_to_two_departments(catalogue):
    assert any("already routes" in m for m in problems(catalogue, department="housing-construction",
                                                      words=("盲道",)))  # fmt: skip


def test_missing_words_or_descriptions(catalogue):
    assert any("no words" in m for m in problems(catalogue, words=()))
    assert any("zh and en" in m for m in problems(catalogue, handles=Text("盲道", "")))
