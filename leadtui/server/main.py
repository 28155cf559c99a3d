"""The app uvicorn builds in each server process (`leadtui serve` hands it the database and
the limits' storage through the environment, so that several worker processes build the same)."""

from __future__ import annotations

import os

from fastapi import FastAPI

from leadtui.db.engine import open_database
from leadtui.server.app import create_app
from leadtui.server.due_timer import EVERY_S

DATABASE_ENV = "LEADTUI_SERVE_DATABASE_URL"
LIMITS_ENV = "LEADTUI_SERVE_LIMITS"
DUE_ENV = "LEADTUI_SERVE_DUE_EVERY_S"  # how often the scheduled work runs; 0: not in these processes


def from_environment() -> FastAPI:
    engine = open_database(os.environ[DATABASE_ENV])
    due_every_s = float(os.environ.get(DUE_ENV, EVERY_S))
    return create_app(engine, limits_storage=os.environ.get(LIMITS_ENV, "memory://"), due_every_s=due_every_s or None)
