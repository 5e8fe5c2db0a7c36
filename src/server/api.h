// The JSON API of `slimnlp serve`, apart from HTTP: a request body in, a status and a JSON body out. The HTTP
// layer (http_server.h) and the fuzz target call the same code.
//
// Every POST endpoint takes one input ("text", or "query" for search) or a batch ("texts" / "queries"); one
// input gives one result object, a batch {"results": [...]} in the same order. Errors are
// {"error": {"status": N, "message": "..."}}: 400 for a body that is not JSON or has a wrong field, 413 for a
// batch or text over its limit, 404 for search without an index, 503 when the request ran past its deadline.
#ifndef SLIMNLP_SRC_SERVER_API_H_
#define SLIMNLP_SRC_SERVER_API_H_

#include <chrono>
#include <string>
#include <string_view>

#include "slimnlp/pipeline.h"
#include "slimnlp/retrieval.h"

namespace slimnlp::server {

struct ApiLimits {
  size_t max_batch = 256;                   // Inputs per request.
  size_t max_text_bytes = 1 << 20;          // Bytes per text or query.
  std::chrono::milliseconds timeout{10000}; // Work on one request stops past this (503).
};

struct ApiResponse {
  int status = 200;
  std::string body;  // JSON.
};

// The POST endpoints, and what /metrics counts them as.
enum class Endpoint { kLangid, kSegment, kTag, kAnnotate, kSearch };

class Api {
 public:
  // `index` and `reranker` may be null (no search; search without reranking). All must outlive the Api. Reads
  // every model file of the pipeline once, for Models(). The index is one or a collection in shards (one
  // index file opens as a collection of one shard, and searches exactly as Index does).
  Api(const Pipeline& pipeline, const ShardedIndex* index, const Reranker* reranker, const ApiLimits& limits);

  // Answers a POST to `endpoint` with `body`. Thread-safe (const, over const models).
  ApiResponse Handle(Endpoint endpoint, std::string_view body) const;
  // GET /v1/models: every model's name, task, language, sizes and budget, and the index if any.
  ApiResponse Models() const { return {200, models_json_}; }

  const ApiLimits& limits() const { return limits_; }

 private:
  const Pipeline& pipeline_;
  const ShardedIndex* index_;
  const Reranker* reranker_;
  ApiLimits limits_;
  std::string models_json_;
};

// {"error": {"status": status, "message": message}}.
ApiResponse ErrorResponse(int status, std::string_view message);
// The same for a failed status: InvalidArgument 400, NotFound 404, ResourceExhausted 413, DeadlineExceeded
// 503, anything else 500.
ApiResponse ErrorResponse(const absl::Status& status);

}  // namespace slimnlp::server

#endif  // SLIMNLP_SRC_SERVER_API_H_
