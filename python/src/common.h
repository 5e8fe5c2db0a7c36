// Shared pieces of the Python binding: text arguments (str or bytes), absl::Status to Python exceptions, byte to
// code point offsets, and the methods that make a result struct behave like a dataclass (repr, ==, pickling).
#ifndef SLIMNLP_PYTHON_SRC_COMMON_H_
#define SLIMNLP_PYTHON_SRC_COMMON_H_

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace slimnlp::python {

namespace py = pybind11;

// Creates the exception classes the binding raises beyond Python's own (DataLossError, ...). Once, at import.
void RegisterExceptions(py::module_& m);

// Raises the Python exception that fits `status` (see ExceptionFor in common.cc), with its message. The GIL
// must be held. `prefix`, if not empty, goes before the message ("text 3: ").
[[noreturn]] void ThrowStatus(const absl::Status& status, std::string_view prefix = {});
inline void ThrowIfError(const absl::Status& status) {
  if (!status.ok()) ThrowStatus(status);
}

// A text argument as UTF-8 bytes. A str is encoded by Python (the bytes live in the str object, which the
// caller keeps alive); bytes, bytearray and memoryview are taken as they are and checked: ValueError naming
// the byte offset if they are not valid UTF-8. Anything else is a TypeError.
std::string_view TextArg(const py::handle& obj, const char* what = "text");

// The texts of an iterable (str or bytes items), each checked as TextArg does ("text N: ..." on error).
// `keep` holds the objects whose bytes the views point into.
struct TextBatch {
  std::vector<py::object> keep;
  std::vector<std::string_view> texts;
};
TextBatch TextBatchArg(const py::handle& iterable);

// os.fspath(obj) as a std::string; nullopt for None.
std::optional<std::string> PathArg(const py::handle& obj);
// A shipped model's path (slimnlp._models.default_model_path(name)).
std::string DefaultModelPath(const std::string& file_name);
std::string DefaultModelsDir();

// Code point offsets of byte offsets into valid UTF-8 `text`. Cheapest when asked in increasing order.
class CharOffsets {
 public:
  explicit CharOffsets(std::string_view text) : text_(text) {}
  size_t At(size_t byte) {
    if (byte < byte_) byte_ = char_ = 0;
    if (byte > text_.size()) byte = text_.size();
    for (; byte_ < byte; ++byte_) char_ += (static_cast<unsigned char>(text_[byte_]) & 0xC0) != 0x80;
    return char_;
  }

 private:
  std::string_view text_;
  size_t byte_ = 0, char_ = 0;
};

// A callback given from Python (progress lines), called from C++ code that runs without the GIL. The first
// exception it raises is kept (later calls are skipped) and raised again by Rethrow, after the C++ call.
class PyCallback {
 public:
  explicit PyCallback(py::object fn) : fn_(std::move(fn)) {}
  std::function<void(const std::string&)> Function();
  void Rethrow();

 private:
  py::object fn_;
  std::optional<py::error_already_set> error_;
};

// Dataclass-like methods for a bound result struct T: __repr__ as Name(field=value, ...), __eq__ on the fields,
// to_dict(), __match_args__ and pickling (needed to send results between Dask processes). `get` returns the
// fields as a tuple in the order of `names`; `make` builds a T from such a tuple.
template <typename T>
void AddDataMethods(py::class_<T>& cls, const char* name, std::vector<const char*> names,
                    std::function<py::tuple(const T&)> get, std::function<T(const py::tuple&)> make) {
  py::tuple match_args(names.size());
  for (size_t i = 0; i < names.size(); ++i) match_args[i] = py::str(names[i]);
  cls.attr("__match_args__") = match_args;
  std::string type_name = name;
  cls.def("__repr__", [type_name, names, get](const T& v) {
    const py::tuple fields = get(v);
    std::string s = type_name + "(";
    for (size_t i = 0; i < names.size(); ++i) {
      if (i) s += ", ";
      s += names[i];
      s += "=";
      s += py::repr(fields[i]).cast<std::string>();
    }
    return s + ")";
  });
  cls.def("__eq__", [get](const T& a, const py::object& b) -> py::object {
    if (!py::isinstance<T>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
    return py::bool_(get(a).equal(get(b.cast<const T&>())));
  });
  cls.def("to_dict", [names, get](const T& v) {
    const py::tuple fields = get(v);
    py::dict d;
    for (size_t i = 0; i < names.size(); ++i) d[py::str(names[i])] = fields[i];
    return d;
  }, "The fields as a dict (nested results stay objects).");
  cls.def(py::pickle([get](const T& v) { return get(v); },
                     [make, names](const py::tuple& t) {
                       if (t.size() != names.size()) throw std::runtime_error("bad pickled state");
                       return make(t);
                     }));
}

}  // namespace slimnlp::python

#endif  // SLIMNLP_PYTHON_SRC_COMMON_H_
