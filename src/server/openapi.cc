// GET /openapi.json: the API of `slimnlp serve` in OpenAPI 3.0. tests/server/server_test.cc checks it against the
// running server: every route here is answered with its method, every route answered is here, and each POST
// body lists exactly the fields its endpoint takes.
#include <nlohmann/json.hpp>

#include "slimnlp/version.h"
#include "src/server/routes.h"

namespace slimnlp::server {
namespace {

using nlohmann::json;

json Str(const char* description) { return {{"type", "string"}, {"description", description}}; }
json Strings(const char* description) {
  return {{"type", "array"}, {"items", {{"type", "string"}}}, {"description", description}};
}
json Int(int low, int high, int fallback, const char* description) {
  return {{"type", "integer"}, {"minimum", low}, {"maximum", high}, {"default", fallback}, {"description", description}};
}
json Bool(const char* description) { return {{"type", "boolean"}, {"description", description}}; }
json Ref(const char* name) { return {{"$ref", std::string("#/components/schemas/") + name}}; }

json Body(json properties) {
  return {{"required", true},
          {"content",
           {{"application/json",
             {{"schema", {{"type", "object"}, {"additionalProperties", false}, {"properties", std::move(properties)}}}}}}}};
}

json Answer(const char* description, json schema) {
  return {{"description", description}, {"content", {{"application/json", {{"schema", std::move(schema)}}}}}};
}

json Errors() {
  json e;
  for (const char* code : {"400", "401", "405", "411", "413", "431", "503"}) {
    e[code] = Answer("an error: the message says what to change", Ref("Error"));
  }
  return e;
}

json Post(const char* summary, json properties, json result) {
  json responses = Errors();
  responses["200"] = Answer("one result for \"text\"/\"query\"; {\"results\": [...]} in order for a batch",
                            {{"oneOf", json::array({result, {{"type", "object"},
                                                             {"properties", {{"results", {{"type", "array"}, {"items", result}}}}}}})}});
  return {{"post", {{"summary", summary}, {"requestBody", Body(std::move(properties))}, {"responses", responses}}}};
}

json Get(const char* summary, const char* content_type, json schema) {
  return {{"get",
           {{"summary", summary},
            {"responses", {{"200", {{"description", summary}, {"content", {{content_type, {{"schema", std::move(schema)}}}}}}},
                           {"503", Answer("not ready (/readyz: starting or draining)", Ref("Error"))}}}}}};
}

json Document() {
  const json text = Str("one text (UTF-8)"), texts = Strings("a batch of texts, answered in order");
  const json language = Str("a BCP-47 tag, any case (\"en\", \"zh-Hant\"); default: identified. An unknown one is a 400");
  const json token = {{"type", "object"},
                      {"properties",
                       {{"text", {{"type", "string"}}},
                        {"begin", {{"type", "integer"}, {"description", "byte offset in the text"}}},
                        {"end", {{"type", "integer"}}},
                        {"upos", {{"type", "string"}}},
                        {"token", {{"type", "string"}, {"description", "the multiword token a word belongs to"}}}}}};
  const json tokens = {{"type", "array"}, {"items", token}};
  json paths;
  paths["/v1/langid"] = Post("Identify the language", {{"text", text}, {"texts", texts}, {"top_k", Int(1, 20, 1, "how many languages to list")}},
                             {{"type", "object"},
                              {"properties",
                               {{"language", {{"type", "string"}}},
                                {"probability", {{"type", "number"}}},
                                {"reliable", {{"type", "boolean"}}},
                                {"top", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}});
  paths["/v1/segment"] = Post("Split text into tokens", {{"text", text}, {"texts", texts}, {"language", language}},
                              {{"type", "object"},
                               {"properties",
                                {{"language", {{"type", "string"}}},
                                 {"segmenter", {{"type", "string"}, {"enum", {"model", "simple"}}}},
                                 {"tokens", tokens}}}});
  paths["/v1/tag"] = Post("Tag parts of speech (UPOS)",
                          {{"text", text}, {"texts", texts}, {"tokens", Strings("tokens to tag as given (needs language)")}, {"language", language}},
                          {{"type", "object"},
                           {"properties", {{"language", {{"type", "string"}}}, {"tagged", {{"type", "boolean"}}}, {"tokens", tokens}}}});
  paths["/v1/annotate"] = Post(
      "Language, sentences, tokens and tags", {{"text", text}, {"texts", texts}, {"language", language}},
      {{"type", "object"},
       {"properties",
        {{"language", {{"type", "string"}}},
         {"language_source", {{"type", "string"}, {"enum", {"identified", "given"}}}},
         {"probability", {{"type", "number"}, {"description", "only when identified"}}},
         {"reliable", {{"type", "boolean"}, {"description", "only when identified"}}},
         {"tagged", {{"type", "boolean"}}},
         {"split", {{"type", "boolean"}, {"description", "split into sentences by the language's model"}}},
         {"sentences",
          {{"type", "array"},
           {"description", "each sentence's byte span and its first and last entries in tokens"},
           {"items",
            {{"type", "object"},
             {"properties",
              {{"begin", {{"type", "integer"}}},
               {"end", {{"type", "integer"}}},
               {"first_token", {{"type", "integer"}}},
               {"last_token", {{"type", "integer"}}}}}}}}},
         {"tokens", tokens}}}});
  const json hit = {{"type", "object"},
                    {"properties",
                     {{"rank", {{"type", "integer"}}},
                      {"id", {{"type", "string"}}},
                      {"title", {{"type", "string"}}},
                      {"score", {{"type", "number"}, {"description", "BM25 or TF-IDF; the reranker's probability when reranked"}}},
                      {"snippet", {{"type", "string"}, {"description", "unless \"snippet\": false"}}}}}};
  paths["/v1/search"] = Post("Search the index (servers started with --index: one index, or shards searched as one "
                             "with the whole collection's statistics)",
                             {{"query", Str("one query")},
                              {"queries", Strings("a batch of queries")},
                              {"k", Int(1, 100, 10, "results per query")},
                              {"rerank", Bool("use the reranker (default: when the server has one)")},
                              {"snippet", Bool("include a snippet (default true)")},
                              {"scoring", {{"type", "string"}, {"enum", {"bm25", "tfidf"}}}}},
                             {{"type", "object"}, {"properties", {{"hits", {{"type", "array"}, {"items", hit}}}}}});
  const json index = {{"type", "object"},
                      {"description", "only when the server has an index"},
                      {"properties",
                       {{"documents", {{"type", "integer"}}},
                        {"shards", {{"type", "integer"}, {"description", "index files searched as one (1: a single index)"}}}}}};
  paths["/v1/models"] = Get("the models, their languages and sizes, and the index", "application/json",
                            {{"type", "object"},
                             {"properties",
                              {{"models", {{"type", "array"}, {"items", {{"type", "object"}}}}},
                               {"languages", Strings("the languages the pipeline serves")},
                               {"index", index}}}});
  paths["/openapi.json"] = Get("this document", "application/json", {{"type", "object"}});
  paths["/healthz"] = Get("200 while the process answers", "application/json", {{"type", "object"}});
  paths["/readyz"] = Get("200 once the models are loaded, 503 while starting or draining", "application/json", {{"type", "object"}});
  paths["/metrics"] = Get("Prometheus metrics", "text/plain", {{"type", "string"}});
  const json error = {{"type", "object"},
                      {"properties",
                       {{"error",
                         {{"type", "object"},
                          {"properties", {{"status", {{"type", "integer"}}}, {"message", {{"type", "string"}}}}}}}}}};
  json components;
  components["schemas"]["Error"] = error;
  components["securitySchemes"]["bearer"] = {{"type", "http"}, {"scheme", "bearer"}};
  json info = {{"title", "slimnlp"},
               {"version", SLIMNLP_VERSION_STRING},
               {"description", "Language identification, segmentation, tagging and search over HTTP: docs/server.md"}};
  return {{"openapi", "3.0.3"}, {"info", std::move(info)}, {"paths", std::move(paths)}, {"components", std::move(components)}};
}

}  // namespace

const std::string& OpenApiDocument() {
  static const std::string document = Document().dump(1);
  return document;
}

}  // namespace slimnlp::server
