"""Build hook: the course content (catalog, exercises, solutions, data) goes into the wheel.

The content lives at the repository root, where authors edit it; a wheel carries a copy in
``mlings/_course/``, written into the build folder only (the source tree is left as it is). An
editable install copies nothing: ``mlings.content`` then reads the repository root.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
CONTENT = ("info.toml", "exercises", "solutions", "data")
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".mlings")


class BuildWithCourse(build_py):
    """``build_py`` that also copies the course content beside the package."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib, "mlings", "_course")
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        for part in CONTENT:
            source = HERE / part
            if source.is_dir():
                shutil.copytree(source, target / part, ignore=SKIP)
            elif source.is_file():
                shutil.copy2(source, target / part)


setup(cmdclass={"build_py": BuildWithCourse})
