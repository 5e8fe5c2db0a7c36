"""Where the shipped models are: found without a path, as the command-line tool finds them."""

import os

_HERE = os.path.dirname(os.path.abspath(__file__))


def _candidates():
    env = os.environ.get("SLIMNLP_MODELS")
    if env:
        yield env
    yield os.path.join(_HERE, "models")  # An installed package, or the build tree (a link to models/).
    yield os.path.join(_HERE, "..", "..", "models")  # The package imported from a source checkout (python/).


def default_model_path(file_name: str) -> str:
    """The shipped model called `file_name`: $SLIMNLP_MODELS/<name>, then the models that travel with the
    package. Returns the first that exists, or the package's path (so that the error names a sensible place)."""
    for directory in _candidates():
        path = os.path.join(directory, file_name)
        if os.path.isfile(path):
            return os.path.normpath(path)
    return os.path.join(_HERE, "models", file_name)


def default_models_dir() -> str:
    """The directory of the shipped models: where default_model_path finds langid.slim."""
    return os.path.dirname(default_model_path("langid.slim"))
