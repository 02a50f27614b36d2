"""The OpenAPI schema of request bodies, made from the engine's declaration (pydantic's JSON Schema of the
models that validate them), so the documented bounds and defaults are the ones enforced."""

from __future__ import annotations

from typing import Any

from drf_spectacular.contrib.pydantic import PydanticExtension
from drf_spectacular.plumbing import ResolvedComponent
from pydantic.json_schema import model_json_schema


class DeclaredModelExtension(PydanticExtension):
    """drf-spectacular's pydantic support, describing what a model accepts ("validation" mode: a number may
    be a JSON number or a decimal string) rather than what it prints."""

    target_class = "compute_advisor.engine.declaration.Declared"
    match_subclasses = True
    priority = 1

    def map_serializer(self, auto_schema: Any, direction: Any) -> Any:
        schema = model_json_schema(self.target, ref_template="#/components/schemas/{model}", mode="validation")
        for name, sub_schema in schema.pop("$defs", {}).items():
            component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=sub_schema)
            auto_schema.registry.register_on_missing(component)
        return schema
