"""The app uvicorn builds in each server process (`leadtui serve` hands it the database and
the limits' storage through the environment, so that several worker processes build the same)."""

from __future__ import annotations

import os

from fastapi import FastAPI

from leadtui.db.engine import open_database
from leadtui.server.app import create_app

DATABASE_ENV = "LEADTUI_SERVE_DATABASE_URL"
LIMITS_ENV = "LEADTUI_SERVE_LIMITS"


def from_environment() -> FastAPI:
    engine = open_database(os.environ[DATABASE_ENV])
    return create_app(engine, limits_storage=os.environ.get(LIMITS_ENV, "memory://"))
