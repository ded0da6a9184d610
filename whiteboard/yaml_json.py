"""YAML read as mermaid's js-yaml reads front matter and `@{ ... }` node data.

mermaid loads both with js-yaml's JSON schema: plain scalars resolve to null, booleans
and numbers, everything else (dates included) stays a string; duplicate keys are an
error; `label: Is it fraud?` is a fine plain scalar. ruamel.yaml's YAML 1.2 safe loader
matches that closely (PyYAML, a YAML 1.1 loader, rejects the `?` and accepts duplicate
keys); we only keep timestamps and `_`-separated numbers as strings, as js-yaml does.
"""

from __future__ import annotations

from typing import Any

_LOADER = None


def _loader():
    global _LOADER
    if _LOADER is None:
        from ruamel.yaml import YAML
        from ruamel.yaml.constructor import SafeConstructor

        class JsonSchemaConstructor(SafeConstructor):
            def construct_yaml_int(self, node):  # noqa: ANN001 - ruamel's signature
                if "_" in str(node.value):
                    return self.construct_scalar(node)
                return super().construct_yaml_int(node)

            def construct_yaml_float(self, node):  # noqa: ANN001
                if "_" in str(node.value):
                    return self.construct_scalar(node)
                return super().construct_yaml_float(node)

        JsonSchemaConstructor.add_constructor(
            "tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)
        JsonSchemaConstructor.add_constructor(
            "tag:yaml.org,2002:int", JsonSchemaConstructor.construct_yaml_int)
        JsonSchemaConstructor.add_constructor(
            "tag:yaml.org,2002:float", JsonSchemaConstructor.construct_yaml_float)
        loader = YAML(typ="safe", pure=True)
        loader.Constructor = JsonSchemaConstructor
        _LOADER = loader
    return _LOADER


def load_json_schema_yaml(text: str) -> Any:
    """Parse *text*; raise ValueError with a one-line reason when it is not YAML."""
    from ruamel.yaml.error import YAMLError

    try:
        return _loader().load(text)
    except YAMLError as error:
        problem = getattr(error, "problem", None) or str(error)
        context = getattr(error, "context", None)
        reason = f"{context}: {problem}" if context and "duplicate" in problem else problem
        raise ValueError(" ".join(str(reason).split())) from None
    except (ValueError, TypeError, OverflowError) as error:
        raise ValueError(str(error).splitlines()[0] if str(error) else type(error).__name__) from None
