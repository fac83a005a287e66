"""The distribution's metadata agrees with the packages it ships."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import actors
import graphs
import runtime

ROOT = Path(__file__).resolve().parent.parent


def _project() -> dict[str, Any]:
    with open(ROOT / "pyproject.toml", "rb") as file:
        project: dict[str, Any] = tomllib.load(file)["project"]
    return project


def test_every_package_has_the_project_version() -> None:
    version = _project()["version"]
    assert {package.__name__: package.__version__ for package in (actors, runtime, graphs)} == {
        "actors": version,
        "runtime": version,
        "graphs": version,
    }


def test_license_file_matches_the_declared_license() -> None:
    project = _project()
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")


def test_classifiers_name_the_python_versions_requires_python_allows() -> None:
    project = _project()
    assert project["requires-python"] == ">=3.11"
    versions = sorted(
        c.rsplit(" :: ", 1)[1]
        for c in project["classifiers"]
        if c.startswith("Programming Language :: Python :: 3.")
    )
    assert versions == ["3.11", "3.12", "3.13"]
