#include "python/src/common.h"

#include "absl/strings/str_format.h"
#include "src/core/utf8.h"

namespace slimnlp::python {
namespace {

// Created in RegisterExceptions; live as long as the module (never destroyed: the interpreter owns them).
PyObject* data_loss_error = nullptr;
PyObject* unsupported_format_error = nullptr;

// The fitting Python exception for a status code: the built-in one where Python has it, so that callers catch
// what they would for a file or a bad value without knowing slimnlp.
PyObject* ExceptionFor(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kNotFound:
      return PyExc_FileNotFoundError;
    case absl::StatusCode::kPermissionDenied:
      return PyExc_PermissionError;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:  // A budget too small for the data, a value past its range.
      return PyExc_ValueError;
    case absl::StatusCode::kDataLoss:  // A damaged or truncated file: an OSError, like the file errors.
      return data_loss_error;
    case absl::StatusCode::kFailedPrecondition:  // A newer format version, another feature hash.
      return unsupported_format_error;
    case absl::StatusCode::kResourceExhausted:  // Disk full, a file over a size limit.
      return PyExc_OSError;
    case absl::StatusCode::kDeadlineExceeded:
      return PyExc_TimeoutError;
    case absl::StatusCode::kUnavailable:
      return PyExc_ConnectionError;
    default:
      return PyExc_RuntimeError;
  }
}

}  // namespace

void RegisterExceptions(py::module_& m) {
  data_loss_error = PyErr_NewExceptionWithDoc(
      "slimnlp.DataLossError",
      "A model or index file is damaged or truncated (absl DataLoss). A subclass of OSError.", PyExc_OSError,
      nullptr);
  unsupported_format_error = PyErr_NewExceptionWithDoc(
      "slimnlp.UnsupportedFormatError",
      "A file in a newer format version, or made with another feature hash, than this build reads (absl "
      "FailedPrecondition). A subclass of ValueError.",
      PyExc_ValueError, nullptr);
  if (data_loss_error == nullptr || unsupported_format_error == nullptr) throw py::error_already_set();
  m.attr("DataLossError") = py::handle(data_loss_error);
  m.attr("UnsupportedFormatError") = py::handle(unsupported_format_error);
}

void ThrowStatus(const absl::Status& status, std::string_view prefix) {
  std::string message(prefix);
  message.append(status.message().data(), status.message().size());
  PyErr_SetString(ExceptionFor(status.code()), message.c_str());
  throw py::error_already_set();
}

std::string_view TextArg(const py::handle& obj, const char* what) {
  if (PyUnicode_Check(obj.ptr())) {
    Py_ssize_t size = 0;
    // The UTF-8 form is cached in the str object: valid while it lives. Lone surrogates raise
    // UnicodeEncodeError, a ValueError.
    const char* data = PyUnicode_AsUTF8AndSize(obj.ptr(), &size);
    if (data == nullptr) throw py::error_already_set();
    return std::string_view(data, static_cast<size_t>(size));
  }
  std::string_view bytes;
  if (PyBytes_Check(obj.ptr())) {
    bytes = std::string_view(PyBytes_AS_STRING(obj.ptr()), static_cast<size_t>(PyBytes_GET_SIZE(obj.ptr())));
  } else if (PyByteArray_Check(obj.ptr())) {
    bytes = std::string_view(PyByteArray_AS_STRING(obj.ptr()), static_cast<size_t>(PyByteArray_GET_SIZE(obj.ptr())));
  } else {
    throw py::type_error(absl::StrFormat("%s must be str or bytes, not %s", what,
                                         py::str(py::type::handle_of(obj).attr("__name__")).cast<std::string>()));
  }
  if (absl::Status s = core::ValidateUtf8(bytes); !s.ok()) ThrowStatus(s);
  return bytes;
}

TextBatch TextBatchArg(const py::handle& iterable) {
  if (PyUnicode_Check(iterable.ptr()) || PyBytes_Check(iterable.ptr())) {
    throw py::type_error("expected an iterable of texts, not a single text");
  }
  TextBatch batch;
  if (PyList_Check(iterable.ptr()) || PyTuple_Check(iterable.ptr())) batch.texts.reserve(py::len(iterable));
  size_t i = 0;
  for (py::handle item : py::iter(iterable)) {
    ++i;
    std::string_view text;
    try {
      text = TextArg(item);
    } catch (py::error_already_set& e) {
      // Name the item: "text 3: invalid UTF-8 at byte 5 (bytes 0xFF)".
      if (e.matches(PyExc_ValueError) && !e.matches(PyExc_UnicodeError)) {
        const std::string message = absl::StrFormat("text %d: %s", i, py::str(e.value()).cast<std::string>());
        PyErr_SetString(PyExc_ValueError, message.c_str());
        throw py::error_already_set();
      }
      throw;
    }
    batch.keep.push_back(py::reinterpret_borrow<py::object>(item));
    batch.texts.push_back(text);
  }
  return batch;
}

std::optional<std::string> PathArg(const py::handle& obj) {
  if (obj.is_none()) return std::nullopt;
  return py::module_::import("os").attr("fspath")(obj).cast<std::string>();
}

std::string DefaultModelPath(const std::string& file_name) {
  return py::module_::import("slimnlp._models").attr("default_model_path")(file_name).cast<std::string>();
}

std::string DefaultModelsDir() {
  return py::module_::import("slimnlp._models").attr("default_models_dir")().cast<std::string>();
}

std::function<void(const std::string&)> PyCallback::Function() {
  if (fn_.is_none()) return nullptr;
  return [this](const std::string& line) {
    py::gil_scoped_acquire gil;
    if (error_) return;
    try {
      fn_(line);
    } catch (py::error_already_set& e) {
      error_.emplace(std::move(e));
    }
  };
}

void PyCallback::Rethrow() {
  if (error_) {
    py::error_already_set e = std::move(*error_);
    error_.reset();
    throw e;
  }
}

}  // namespace slimnlp::python
