"""llmrt.Runtime: the plugins and the configured models, and models made from arguments."""

from __future__ import annotations

import json
import math
import os
from typing import Any, Mapping, Optional, Sequence, Union

from . import _llmrt

Model = _llmrt.Model

_DEFAULTS = ("lagent", "none")
_MAX_DEPTH = 128  # the core's limit on JSON nesting
_ROLE_KEYS = ("role", "api_role", "begin", "end", "fallback_role")


def _check(name: str, value: Any, types: Union[type, tuple], expected: str) -> None:
    if not isinstance(value, types) or isinstance(value, bool) and bool not in _as_tuple(types):
        raise TypeError(f"{name}: expected {expected}, got {type(value).__name__}")


def _as_tuple(types: Union[type, tuple]) -> tuple:
    return types if isinstance(types, tuple) else (types,)


def _seconds(name: str, value: Any) -> float:
    _check(name, value, (int, float), "a number of seconds")
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"{name}: expected a positive number of seconds, got {value!r}")
    return float(value)


def _json_ready(name: str, value: Any) -> None:
    """Refuses what json.dumps would write as no JSON (NaN, Infinity) or the core would refuse
    by its place in the made-up text (a lone surrogate), naming the argument and the place."""
    pending = [(name, value, 0)]
    while pending:
        where, v, depth = pending.pop()
        if depth > _MAX_DEPTH:
            raise ValueError(f"{where}: nested deeper than {_MAX_DEPTH} levels")
        if isinstance(v, float) and not math.isfinite(v):
            raise ValueError(f"{where}: expected a finite number, got {v!r}")
        if isinstance(v, str):
            try:
                v.encode("utf-8")
            except UnicodeEncodeError as e:
                raise ValueError(f"{where}: not UTF-8 text ({e.reason} at {e.start})") from None
        elif isinstance(v, Mapping):
            for k, item in v.items():
                if isinstance(k, str):
                    pending.append((f"{where}: the key {k!r}", k, depth + 1))
                pending.append((f"{where}[{k!r}]", item, depth + 1))
        elif isinstance(v, (list, tuple)):
            pending.extend((f"{where}[{i}]", item, depth + 1) for i, item in enumerate(v))


def _string_list(name: str, value: Union[str, Sequence[str]]) -> list:
    if isinstance(value, str):
        return [value]
    _check(name, value, (list, tuple), "a str or a list of str")
    for i, item in enumerate(value):
        _check(f"{name}[{i}]", item, str, "a str")
    if not value:
        raise ValueError(f"{name}: expected at least one entry")
    return list(value)


def _meta_template(value: Sequence[Mapping[str, Any]]) -> list:
    _check("meta_template", value, (list, tuple), "a list of role dicts")
    if not value:
        # It would know no role at all and refuse every conversation.
        raise ValueError("meta_template: expected at least one role, got []")
    roles = []
    for i, role in enumerate(value):
        _check(f"meta_template[{i}]", role, Mapping, "a dict")
        unknown = [key for key in role if key not in _ROLE_KEYS]
        if unknown:
            raise ValueError(
                f"meta_template[{i}]: unknown key {unknown[0]!r} (known: {', '.join(_ROLE_KEYS)})"
            )
        for key, text in role.items():
            _check(f"meta_template[{i}].{key}", text, str, "a str")
        roles.append(dict(role))
    return roles


class Runtime:
    """The provider plugins, and the models and routes of a configuration file.

    ``Runtime()`` loads the plugins installed with llmrt (beside its core library, in the build
    tree as after ``cmake --install``) and those in ``LLMRT_PLUGIN_PATH``; ``plugins`` names more
    plugin files or folders, searched first.
    """

    __slots__ = ("_native",)

    def __init__(self, plugins: Optional[Sequence[Union[str, "os.PathLike[str]"]]] = None) -> None:
        if plugins is not None:
            if isinstance(plugins, (str, os.PathLike)):
                plugins = [plugins]
            _check("plugins", plugins, (list, tuple), "a list of paths")
            for i, path in enumerate(plugins):
                _check(f"plugins[{i}]", path, (str, os.PathLike), "a path")
            plugins = [os.fspath(p) for p in plugins]
            # As the command's --plugin: a path that is not there is a mistake, not a folder
            # with no plugin in it.
            for path in plugins:
                if not os.path.exists(path):
                    raise FileNotFoundError(f"plugins: no such file or folder: {path!r}")
        self._native = _llmrt.Runtime(plugins)

    @classmethod
    def from_config(cls, path: Union[str, "os.PathLike[str]"]) -> "Runtime":
        """A runtime for a configuration file (README, "Configuration"): its models and routes."""
        runtime = cls.__new__(cls)
        runtime._native = _llmrt.Runtime.from_config(os.fspath(path))
        return runtime

    def model(
        self,
        provider: Optional[str] = None,
        model: Optional[str] = None,
        *,
        key: Union[str, Sequence[str], None] = None,
        api_base: Optional[str] = None,
        org: Union[str, Sequence[str], None] = None,
        retry: Optional[int] = None,
        timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        meta_template: Optional[Sequence[Mapping[str, str]]] = None,
        defaults: Optional[str] = None,
        proxy: Optional[str] = None,
        ca_file: Optional[str] = None,
        encoding: Optional[str] = None,
        params: Optional[Mapping[str, Any]] = None,
        options: Optional[Mapping[str, str]] = None,
    ) -> Model:
        """A model or route of the configuration by name (``rt.model("smart")``), or a model of a
        provider plugin (``rt.model("openai", "gpt-4o-mini", key="ENV")``).

        key: literal keys, ``"ENV"`` (the plugin's key variable) or ``"env:VAR"``; None: ENV.
        timeout: seconds to connect and the longest silence while reading; total_timeout: the
        whole call, retries included. defaults: ``"lagent"`` (lagent GPTAPI's parameter values)
        or ``"none"``. params: the model's generation parameters; options: plugin switches.
        """
        settings = {
            "key": key,
            "api_base": api_base,
            "org": org,
            "retry": retry,
            "timeout": timeout,
            "total_timeout": total_timeout,
            "meta_template": meta_template,
            "defaults": defaults,
            "proxy": proxy,
            "ca_file": ca_file,
            "encoding": encoding,
            "params": params,
            "options": options,
        }
        if model is None:
            if provider is None:
                raise TypeError("model(): give a configured name, or a provider and model=")
            _check("name", provider, str, "a str")
            given = [name for name, value in settings.items() if value is not None]
            if given:
                raise TypeError(
                    f"model({provider!r}): {given[0]}= applies to a model made from arguments "
                    "(give model=); a configured model takes its settings from the file"
                )
            return self._native.model_named(provider)
        for name, value in settings.items():
            _json_ready(name, value)
        entry = _model_entry(provider or "openai", model, settings)
        try:
            return self._native.model_from_json(
                json.dumps({"models": {model: entry}}), "llmrt.Runtime.model()"
            )
        except ValueError as e:
            # The core names a setting by its path in the file made from the arguments
            # ("$.models.gpt-4o.api_base"); the caller gave an argument, named as such.
            made_up = f"$.models.{model}."
            text = str(e)
            at = text.find(made_up)
            if type(e) is not ValueError or at < 0:
                raise
            raise ValueError(text[:at] + text[at + len(made_up) :]) from None

    @property
    def plugins(self) -> list:
        """The loaded plugins: dicts with name, version and path."""
        return self._native.plugins

    @property
    def load_errors(self) -> list:
        """Why plugin files found were not loaded (they did not stop the others)."""
        return self._native.load_errors

    @property
    def names(self) -> list:
        """The models and routes of the configuration."""
        return self._native.names

    def __repr__(self) -> str:
        return f"<llmrt.Runtime plugins={[p['name'] for p in self.plugins]}>"


def _model_entry(provider: str, model: str, s: Mapping[str, Any]) -> dict:
    """The configuration file's entry for a model made from arguments (checked there again)."""
    _check("provider", provider, str, "a str")
    _check("model", model, str, "a str")
    if not model:
        raise ValueError("model: expected the model name the API knows, got ''")
    entry: dict = {"provider": provider, "model": model}
    if s["key"] is not None:
        entry["keys"] = _string_list("key", s["key"])
    if s["org"] is not None:
        entry["organizations"] = _string_list("org", s["org"])
    for name in ("api_base", "proxy", "ca_file", "encoding"):
        if s[name] is not None:
            _check(name, s[name], str, "a str")
            entry[name] = s[name]
    if s["api_base"] == "":
        # Empty would mean the provider's own servers: an unset variable would send the key there.
        raise ValueError(
            "api_base: the API base is empty; leave it out (None) for the provider's default, "
            "or give the URL of the server meant"
        )
    if s["retry"] is not None:
        _check("retry", s["retry"], int, "an int")
        if s["retry"] < 0:
            raise ValueError(f"retry: expected a number of retries >= 0, got {s['retry']}")
        entry["retry"] = s["retry"]
    timeouts = {}
    if s["timeout"] is not None:
        seconds = _seconds("timeout", s["timeout"])
        timeouts.update(connect=seconds, read=seconds)
    if s["total_timeout"] is not None:
        timeouts["total"] = _seconds("total_timeout", s["total_timeout"])
    if timeouts:
        entry["timeouts"] = timeouts
    if s["meta_template"] is not None:
        entry["meta_template"] = _meta_template(s["meta_template"])
    if s["defaults"] is not None:
        _check("defaults", s["defaults"], str, "a str")
        if s["defaults"] not in _DEFAULTS:
            raise ValueError(f"defaults: expected one of {', '.join(_DEFAULTS)}, got {s['defaults']!r}")
        entry["defaults"] = s["defaults"]
    if s["params"] is not None:
        _check("params", s["params"], Mapping, "a dict")
        entry["params"] = dict(s["params"])
    if s["options"] is not None:
        _check("options", s["options"], Mapping, "a dict of str")
        for name, value in s["options"].items():
            _check(f"options[{name!r}]", value, str, "a str")
        entry["options"] = dict(s["options"])
    return entry
