// The extension module slimnlp._slimnlp; the package slimnlp (python/slimnlp/__init__.py) re-exports it.
#include "python/src/bindings.h"
#include "python/src/common.h"

PYBIND11_MODULE(_slimnlp, m) {
  m.doc() = "slimnlp: small, fast NLP models (language ID, tokenization, POS tagging, retrieval) in C++.";
  slimnlp::python::RegisterExceptions(m);
  slimnlp::python::RegisterLangId(m);
  slimnlp::python::RegisterText(m);
  slimnlp::python::RegisterRetrieval(m);
  slimnlp::python::RegisterReports(m);
}
