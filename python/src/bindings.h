// The parts of the module, each registered from its own file, and what one part needs of another.
#ifndef SLIMNLP_PYTHON_SRC_BINDINGS_H_
#define SLIMNLP_PYTHON_SRC_BINDINGS_H_

#include <pybind11/pybind11.h>

#include "slimnlp/langid.h"
#include "slimnlp/retrieval.h"
#include "slimnlp/segmenter.h"
#include "slimnlp/tagger.h"

namespace slimnlp::python {

void RegisterLangId(pybind11::module_& m);
void RegisterText(pybind11::module_& m);       // Segmenter, Tagger, Pipeline.
void RegisterRetrieval(pybind11::module_& m);  // Index, Reranker, build_index.
void RegisterReports(pybind11::module_& m);    // Evaluation, training, model info.

// The C++ objects behind the Python ones (TypeError if `obj` is of another type).
const LanguageIdentifier& UnwrapLanguageIdentifier(const pybind11::handle& obj);
const Segmenter& UnwrapSegmenter(const pybind11::handle& obj);
const Tagger& UnwrapTagger(const pybind11::handle& obj);
const Index& UnwrapIndex(const pybind11::handle& obj);
const ShardedIndex* AsShardedIndex(const pybind11::handle& obj);  // Null if `obj` is not a ShardedIndex.
const Reranker& UnwrapReranker(const pybind11::handle& obj);

}  // namespace slimnlp::python

#endif  // SLIMNLP_PYTHON_SRC_BINDINGS_H_
