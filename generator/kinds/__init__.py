"""Slide kinds, one module each; importing this package registers them all.

A kind is one module: its schema, its role, its text roles, its plan and its
Markdown (see generator.model.registry for what a kind declares).
"""

from __future__ import annotations

import importlib
import pkgutil


def _load_all() -> None:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


_load_all()
