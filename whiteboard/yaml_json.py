"""YAML read with the JSON schema, as mermaid's js-yaml does for front matter and `@{}`.

PyYAML's safe loader follows YAML 1.1 (`yes` is true, `0755` is octal, dates become
dates); mermaid's js-yaml is told to use its JSON schema, where only null, booleans and
numbers are resolved and everything else is a string. This loader resolves the same
plain scalars.
"""

from __future__ import annotations

import re
from typing import Any

import yaml


class _JsonSchemaLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 JSON-schema scalar resolution."""


_JsonSchemaLoader.yaml_implicit_resolvers = {}
_RESOLVERS = [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", list("~nN") + [""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+0123456789."),
    ),
]
for _tag, _pattern, _first in _RESOLVERS:
    _JsonSchemaLoader.add_implicit_resolver(_tag, re.compile(_pattern), _first)


def _construct_int(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    value = loader.construct_scalar(node)
    if value.startswith("0o"):
        return int(value[2:], 8)
    if value.startswith("0x"):
        return int(value[2:], 16)
    return int(value, 10)


def _construct_float(loader: yaml.SafeLoader, node: yaml.Node) -> float:
    value = str(loader.construct_scalar(node)).lower()
    if value.endswith("inf"):
        return float("-inf") if value.startswith("-") else float("inf")
    if value.endswith("nan"):
        return float("nan")
    return float(value)


_JsonSchemaLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_JsonSchemaLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)


def load_json_schema_yaml(text: str) -> Any:
    """Parse *text*; raise ValueError with a one-line reason when it is not YAML."""
    try:
        return yaml.load(text, Loader=_JsonSchemaLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        reason = str(getattr(error, "problem", None) or error).splitlines()[0]
        raise ValueError(reason) from None
