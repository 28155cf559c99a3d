"""The repository's operations as routes: `POST /api/v1/<operation>` with the operation's
arguments as a JSON object, answered with its domain value as JSON.

The routes are made from `leadtui.domain.interface.Operations`, the one list of operations and
their signatures, so the server cannot serve a different set than the remote repository calls:
a body model per operation (pydantic checks every argument's type before the repository sees
it), the return type as the response model (so the OpenAPI description names every value).
Each runs in FastAPI's thread pool, on the repository bound to the request's colleague.

(No `from __future__ import annotations` here: FastAPI reads the endpoints' annotations at
runtime, and the body models are made in a function.)
"""

import dataclasses
import inspect
from collections.abc import Callable, Mapping
from typing import Annotated, Any, get_type_hints

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, create_model

from leadtui.domain import interface
from leadtui.repository import Repository
from leadtui.server.errors import RESPONSES, InvalidRequest

PREFIX = "/api/v1"


class Arguments(BaseModel):
    """The arguments of one operation; unknown keys are refused (a typo is an error, not ignored)."""

    model_config = ConfigDict(extra="forbid")


INT_RANGE = range(-(2**63), 2**63)  # what both databases store; larger ids exist nowhere


def _fits(value: Any) -> bool:
    """Whether every whole number in the arguments fits the databases' integers (a 2**64 id
    is refused like any malformed argument, not left to the driver to overflow on)."""
    if isinstance(value, bool) or value is None or isinstance(value, str | float):
        return True
    if isinstance(value, int):
        return value in INT_RANGE
    if dataclasses.is_dataclass(value):
        return all(_fits(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, Mapping):
        return all(_fits(k) and _fits(v) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return all(_fits(item) for item in value)
    return True


def arguments_model(name: str) -> type[Arguments]:
    method = getattr(interface.Operations, name)
    hints = get_type_hints(method)
    fields: dict[str, Any] = {}
    for parameter in list(inspect.signature(method).parameters.values())[1:]:
        default = ... if parameter.default is inspect.Parameter.empty else parameter.default
        fields[parameter.name] = (hints[parameter.name], default)
    title = "".join(part.capitalize() for part in name.split("_"))
    return create_model(title, __base__=Arguments, **fields)


def returns(name: str) -> Any:
    return get_type_hints(getattr(interface.Operations, name))["return"]


def operations_router(acting: Callable[[Request], Repository]) -> APIRouter:
    """One route per operation; `acting` is the dependency that binds a request."""
    router = APIRouter(prefix=PREFIX, tags=["Operationen"])
    for name in interface.OPERATIONS:
        _add(router, name, acting)
    return router


def _add(router: APIRouter, name: str, acting: Callable[[Request], Repository]) -> None:
    model = arguments_model(name)
    result = returns(name)

    def endpoint(arguments: model, repository: Annotated[Repository, Depends(acting)]) -> Any:  # type: ignore[valid-type]
        values = {field: getattr(arguments, field) for field in model.model_fields}
        if not _fits(values):
            raise InvalidRequest("Ungültige Anfrage: eine Zahl außerhalb jedes gültigen Bereichs.")
        return getattr(repository, name)(**values)

    if not model.model_fields:

        def endpoint(repository: Annotated[Repository, Depends(acting)]) -> Any:  # type: ignore[misc]
            return getattr(repository, name)()

    router.add_api_route(
        f"/{name.replace('_', '-')}",
        endpoint,
        methods=["POST"],
        name=name,
        response_model=None if result is type(None) else result,
        status_code=200,
        responses=RESPONSES,
    )
