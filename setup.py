"""Builds the Python package slimnlp from this checkout: `python3 -m pip install --no-build-isolation .`
(docs/python.md). The extension module is built by the project's CMake (target _slimnlp, python/CMakeLists.txt)
with the interpreter running this script; the shipped models are copied into the package (slimnlp/models), so
an installed slimnlp finds them without a path. Needs only Debian packages (tools/setup.sh): no network."""

import glob
import os
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

ROOT = os.path.dirname(os.path.abspath(__file__))
BUILD_BASE = os.path.join("build", "pip")  # Beside, not inside, the CMake build trees (build/ is CMake's).


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = os.path.join(ROOT, BUILD_BASE, "cmake")
        configure = ["cmake", "-S", ROOT, "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release",
                     "-DSLIMNLP_BUILD_TESTS=OFF", "-DSLIMNLP_BUILD_BENCH=OFF", "-DSLIMNLP_BUILD_PYTHON=ON",
                     f"-DPython_EXECUTABLE={sys.executable}"]
        if shutil.which("ccache"):
            configure.append("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache")
        configure += os.environ.get("CMAKE_ARGS", "").split()
        subprocess.run(configure, check=True)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 1))
        subprocess.run(["cmake", "--build", build_dir, "--target", "_slimnlp", "-j", jobs], check=True)
        built = glob.glob(os.path.join(build_dir, "python", "slimnlp", "_slimnlp*.so"))
        if len(built) != 1:
            raise RuntimeError(f"expected one built _slimnlp module in {build_dir}/python/slimnlp, found {built}")
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(built[0], target)


class BuildPyWithModels(build_py):
    """The package's Python files, and the shipped models in slimnlp/models."""

    def run(self):
        super().run()
        models = os.path.join(self.build_lib, "slimnlp", "models")
        os.makedirs(models, exist_ok=True)
        for path in glob.glob(os.path.join(ROOT, "models", "*.slim")) + [os.path.join(ROOT, "models", "README.md")]:
            shutil.copyfile(path, os.path.join(models, os.path.basename(path)))


setup(
    package_dir={"": "python"},
    packages=["slimnlp"],
    package_data={"slimnlp": ["*.pyi", "py.typed"]},
    ext_modules=[Extension("slimnlp._slimnlp", sources=[])],
    cmdclass={"build_ext": CMakeBuild, "build_py": BuildPyWithModels},
    options={"build": {"build_base": BUILD_BASE}, "egg_info": {"egg_base": BUILD_BASE}},
    zip_safe=False,
)
