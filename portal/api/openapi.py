"""``GET /openapi.json``: generated from the models every ``/api/v1`` route declares (contract.py, models.py), so
it says what the routes check; a test checks no route is missing."""

from __future__ import annotations

from flask import Blueprint, jsonify

from ..web.services import catalogue
from . import models
from .contract import spec

openapi_bp = Blueprint("openapi", __name__)

INFO = {
    "title": "大足区助残服务门户 API",
    "version": "1.0.0",
    "description": "Policies, search and eligibility of the Dazu District disability services portal.",
}


@openapi_bp.get("/openapi.json")
def openapi_json():
    content = catalogue()
    lists = {
        "categories": [category.id for category in content.categories],
        "towns": [town.id for town in content.towns],
        "forms": sorted(content.forms),
    }
    return jsonify(spec(INFO, lists, {"Profile": models.Profile, "Error": models.Error}))
