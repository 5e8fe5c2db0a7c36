"""Shared fixtures: the loaded models (once per session), the command-line tool to compare with, shared data."""

import os
import subprocess

import pytest

import slimnlp

SOURCE_DIR = os.environ.get("SLIMNLP_SOURCE_DIR",
                            os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..")))
SHARED_DATA = os.path.normpath(os.path.join(SOURCE_DIR, "..", "shared", "data"))


@pytest.fixture(scope="session")
def cli():
    """A function running `slimnlp ARGS` (the tool of the same build) and returning its stdout."""
    path = os.environ.get("SLIMNLP_CLI", os.path.join(SOURCE_DIR, "build", "slimnlp"))
    if not os.path.isfile(path):
        pytest.skip(f"the command-line tool is not built at {path} (set SLIMNLP_CLI)")

    def run(*args, input=None):
        r = subprocess.run([path, *args], input=input, capture_output=True, check=False,
                           text=isinstance(input, str) or input is None)
        assert r.returncode == 0, f"slimnlp {' '.join(args)} failed: {r.stderr}"
        return r.stdout

    return run


@pytest.fixture(scope="session")
def lid():
    return slimnlp.LanguageIdentifier()


@pytest.fixture(scope="session")
def pipeline():
    return slimnlp.Pipeline()


@pytest.fixture(scope="session")
def segmenter_zh():
    return slimnlp.Segmenter(language="zh")


@pytest.fixture(scope="session")
def tagger_en():
    return slimnlp.Tagger()


def shared(*parts):
    """A file of the shared data, or a skip saying it is missing."""
    path = os.path.join(SHARED_DATA, *parts)
    if not os.path.exists(path):
        pytest.skip(f"shared data missing: {path}")
    return path


# Texts in many languages and scripts, with multiword tokens, Chinese, and a mixed-language line.
TEXTS = [
    "Ceci est une phrase en français.",
    "Je vais au marché du village.",
    "The cat sat on the mat, didn't it?",
    "Das ist ein Satz auf Deutsch.",
    "然而，這樣的處理也衍生了一些問題。",
    "这是一个简单的句子。",
    "Dit is een zin in het Nederlands.",
    "Questa è una frase italiana.",
    "Bu bir Türkçe cümledir.",
    "Η γάτα κάθεται στο χαλί.",
    "hello world",
    "12345 !!!",
    "",
    "Hello there, how are you? Je vais très bien, merci beaucoup.",
    "Tôi đi chợ hôm nay.",
]
